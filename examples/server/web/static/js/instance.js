// instance.js: one instance's page — properties, addresses, tags,
// metadata, console, console log and the usage chart.
import { api } from './api.js';
import { chart } from './chart.js';
import { fmtTime, h, showError, stateClass } from './dom.js';

const ITEMS = { cpu: ['CPU', '%'], memory: ['Memory', 'MiB'], storage: ['Storage', 'GiB'] };
const RANGES = { '1h': 3600, '6h': 6 * 3600, '24h': 86400, '7d': 7 * 86400 };

export function render(main, ctx, [id]) {
  const abort = new AbortController();
  const base = `${ctx.prefix}/instances/${encodeURIComponent(id)}`;
  const title = h('h1', {}, 'Instance');
  const stateBadge = h('span', { class: 'state', id: 'instance-state' });
  const props = h('dl', { class: 'props', id: 'props' });
  const addrs = h('ul', { id: 'addresses' });
  const tags = h('p', { id: 'tags' });
  const meta = h('tbody', { id: 'metadata' });
  const logPre = h('pre', { class: 'log', id: 'console-log', tabindex: 0, 'aria-label': 'Console log' }, 'Not loaded.');
  const logBtn = h('button', { type: 'button', id: 'load-log' }, 'Load console log');
  const itemSel = h('select', { id: 'usage-item' }, Object.entries(ITEMS).map(([k, [l]]) => new Option(l, k)));
  const rangeSel = h('select', { id: 'usage-range' }, Object.keys(RANGES).map((k) => new Option(`last ${k}`, k, k === '1h', k === '1h')));
  const chartBox = h('div', { id: 'chart-box', 'aria-live': 'polite' });
  const consoleLink = h('a', { href: `${base}/console`, target: '_blank', rel: 'noopener', id: 'console-link', class: 'button',
    'aria-describedby': 'console-error' }, 'Open the console ↗');
  const consoleErr = h('p', { class: 'form-error', id: 'console-error', role: 'alert' });

  main.append(
    h('p', {}, h('a', { href: '#/instances' }, '‹ All instances')),
    h('div', { class: 'toolbar' }, title, stateBadge),
    h('div', { class: 'grid2' },
      h('section', { class: 'card', 'aria-labelledby': 'h-props' }, h('h2', { id: 'h-props' }, 'Properties'), props),
      h('section', { class: 'card', 'aria-labelledby': 'h-net' },
        h('h2', { id: 'h-net' }, 'Addresses'), addrs,
        h('h2', {}, 'Tags'), tags,
        h('h2', {}, 'Console'),
        h('p', {}, consoleLink), consoleErr)),
    h('section', { class: 'card', 'aria-labelledby': 'h-usage' },
      h('h2', { id: 'h-usage' }, 'Usage'),
      h('div', { class: 'toolbar' },
        h('label', { for: 'usage-item' }, 'Figure'), itemSel,
        h('label', { for: 'usage-range' }, 'Time range'), rangeSel),
      chartBox),
    h('section', { class: 'card', 'aria-labelledby': 'h-meta' },
      h('h2', { id: 'h-meta' }, 'Metadata'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'))), meta)),
    h('section', { class: 'card', 'aria-labelledby': 'h-log' },
      h('h2', { id: 'h-log' }, 'Console log'), logBtn, logPre));

  function show(inst) {
    title.textContent = inst.name;
    document.title = `Perspective — ${inst.name}`;
    stateBadge.textContent = inst.state + (inst.isLocked ? ' · locked' : '');
    stateBadge.className = stateClass(inst.state);
    const rows = [
      ['ID', inst.id], ['Real ID', inst.realId], ['Cloud', `${inst.cloudId} (${inst.cloudType})`], ['Project', inst.projectId],
      ['Flavor', inst.flavor ? `${inst.flavor.name || inst.flavor.id} — ${inst.flavor.vcpus} vCPU, ${inst.flavor.ram} MiB, ${inst.flavor.rootDisk} GiB` : '—'],
      ['Image', inst.image ? inst.image.name || inst.image.id : '—'], ['Keypair', (inst.keypair && inst.keypair.name) || '—'],
      ['Created', fmtTime(inst.created)], ['Updated', fmtTime(inst.timestamp)],
    ];
    if (inst.errorReason) rows.push(['Error', inst.errorReason]);
    props.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    addrs.replaceChildren(...((inst.address || []).length ? inst.address.map((a) => h('li', {}, a)) : [h('li', {}, 'none')]));
    tags.textContent = (inst.tags || []).length ? inst.tags.join(', ') : 'none';
    const entries = (inst.metadata && inst.metadata.entry) || [];
    meta.replaceChildren(...(entries.length ? entries.map((e) => h('tr', {}, h('td', {}, e.key), h('td', {}, e.value)))
      : [h('tr', {}, h('td', { colspan: 2 }, 'none'))]));
  }

  async function load() {
    try {
      const [inst, tagList] = await Promise.all([
        api('GET', base, undefined, { signal: abort.signal }),
        api('GET', `${base}/tags`, undefined, { signal: abort.signal }).catch(() => [])]);
      show({ ...inst, tags: tagList });
    } catch (e) {
      if (e.name !== 'AbortError') showError(e);
    }
  }

  async function loadUsage() {
    const [label, unit] = ITEMS[itemSel.value];
    const to = Math.floor(Date.now() / 1000);
    const from = to - RANGES[rangeSel.value];
    chartBox.replaceChildren(h('p', { class: 'hint' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading usage…'));
    try {
      const s = await api('GET', `${base}/usage?item=${itemSel.value}&from=${from}&to=${to}&datapoints=24`, undefined, { signal: abort.signal });
      chartBox.replaceChildren(chart(s.points, { title: `${label} of ${title.textContent}, last ${rangeSel.value}`,
        unit: s.unit || unit, source: s.source, note: s.note }));
    } catch (e) {
      if (e.name === 'AbortError') return;
      chartBox.replaceChildren(h('p', { class: 'failed', role: 'alert' }, e.message));
    }
  }

  logBtn.addEventListener('click', async () => {
    logBtn.disabled = true;
    logPre.textContent = 'Loading…';
    logPre.classList.remove('failed');
    try {
      const text = await api('GET', `${base}/log?lines=200`, undefined, { signal: abort.signal });
      logPre.textContent = text || '(the console log is empty)';
    } catch (e) {
      if (e.name === 'AbortError') return;
      logPre.textContent = e.message;
      logPre.classList.add('failed');
    } finally {
      logBtn.disabled = false;
    }
  });
  // The console: ask the API first, so that a refusal (an instance in a
  // state without a console, a cloud without consoles) shows its message
  // here instead of a raw error page in a new tab.
  let consoleBusy = false;
  consoleLink.addEventListener('click', async (e) => {
    e.preventDefault();
    if (consoleBusy) return;
    consoleBusy = true;
    consoleErr.textContent = '';
    consoleLink.setAttribute('aria-busy', 'true');
    const spin = h('span', { class: 'spinner', 'aria-hidden': 'true' });
    consoleLink.prepend(spin, ' ');
    try {
      await api('GET', `${base}/console`, undefined, { redirect: 'manual', signal: abort.signal });
      window.open(consoleLink.href, '_blank', 'noopener');
    } catch (err) {
      if (err.name !== 'AbortError') consoleErr.textContent = err.message;
    } finally {
      spin.nextSibling.remove();
      spin.remove();
      consoleLink.removeAttribute('aria-busy');
      consoleBusy = false;
    }
  });
  itemSel.addEventListener('change', loadUsage);
  rangeSel.addEventListener('change', loadUsage);

  load();
  loadUsage();
  const timer = setInterval(() => { if (!document.hidden) load(); }, 1500);
  return () => { clearInterval(timer); abort.abort(); };
}
