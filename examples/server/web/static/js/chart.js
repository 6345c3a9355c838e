// chart.js: a line chart of usage points, drawn as SVG.
import { h, svg } from './dom.js';

const W = 640, H = 250, M = { top: 26, right: 34, bottom: 32, left: 52 };

// niceMax rounds a maximum up to 1, 2 or 5 times a power of ten.
export function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

// chart returns a figure with an SVG line chart of points
// ([{from, to, value}]) labelled with unit.
export function chart(points, { title, unit, source, note }) {
  const fig = h('figure', { class: 'chart', id: 'usage-chart' });
  const n = points.length;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const x = (i) => M.left + (n <= 1 ? 0 : (i * (W - M.left - M.right)) / (n - 1));
  const y = (v) => H - M.bottom - (v / max) * (H - M.top - M.bottom);
  const summary = n
    ? `${title}: ${n} points from ${new Date(points[0].from).toLocaleString()} to ${new Date(points[n - 1].to).toLocaleString()}, ` +
      `lowest ${Math.min(...points.map((p) => p.value)).toFixed(1)} ${unit}, highest ${Math.max(...points.map((p) => p.value)).toFixed(1)} ${unit}`
    : `${title}: no data for this range`;
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary });
  s.append(svg('title', {}, summary));
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    s.append(svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }));
    s.append(svg('text', { x: M.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v)));
  }
  s.append(svg('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }));
  s.append(svg('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }));
  s.append(svg('text', { x: M.left - 6, y: 12, 'text-anchor': 'end' }, unit));
  if (n) {
    const ticks = Math.min(n, 6);
    for (let k = 0; k < ticks; k++) {
      const i = ticks === 1 ? 0 : Math.round((k * (n - 1)) / (ticks - 1));
      const d = new Date(points[i].to);
      s.append(svg('text', { x: x(i), y: H - M.bottom + 18, 'text-anchor': 'middle' },
        d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    }
    const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    s.append(svg('path', { class: 'area', d: `${line} L${x(n - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z` }));
    s.append(svg('path', { class: 'line', d: line }));
    points.forEach((p, i) => s.append(svg('circle', { class: 'dot', cx: x(i), cy: y(p.value), r: 3 },
      svg('title', {}, `${new Date(p.from).toLocaleString()} – ${new Date(p.to).toLocaleTimeString()}: ${p.value.toFixed(2)} ${unit}`))));
  } else {
    s.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'No data for this range'));
  }
  const from = source ? ` Source: ${source}${note ? ` (${note})` : ''}.` : '';
  fig.append(s, h('figcaption', { class: 'hint' }, summary + from));
  return fig;
}

function fmt(v) {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}
