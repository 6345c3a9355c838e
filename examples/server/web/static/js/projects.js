// projects.js: the projects page — each project with its regions, its
// service endpoints and the RC file of each region.
import { api } from './api.js';
import { h, showError } from './dom.js';

export function render(main) {
  const list = h('div', { id: 'project-list' });
  main.append(h('h1', {}, 'Projects'), list);

  async function endpoints(p, box, btn) {
    btn.disabled = true;
    try {
      const eps = await api('GET', `/projects/${encodeURIComponent(p.id)}/access`);
      box.replaceChildren(h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Service', 'Interface', 'Region', 'URL'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, eps.map((e) => h('tr', {}, h('td', {}, e.service), h('td', {}, e.interface), h('td', {}, e.region), h('td', {}, e.url)))))));
    } catch (e) {
      box.replaceChildren(h('p', { class: 'failed', role: 'alert' }, e.message));
    } finally {
      btn.disabled = false;
    }
  }

  (async () => {
    try {
      const ps = await api('GET', '/projects/list');
      if (!ps.length) list.append(h('p', { class: 'empty' }, 'You have access to no project.'));
      for (const p of ps) {
        const box = h('div');
        const btn = h('button', { type: 'button', 'aria-label': `Show the endpoints of ${p.name || p.id}` }, 'Show endpoints');
        btn.addEventListener('click', () => endpoints(p, box, btn));
        list.append(h('section', { class: 'card project', 'aria-label': `Project ${p.name || p.id}` },
          h('h2', {}, p.name || p.id),
          h('dl', { class: 'props' }, h('dt', {}, 'ID'), h('dd', {}, p.id), h('dt', {}, 'Cloud'), h('dd', {}, `${p.cloudId} (${p.cloudType})`)),
          h('h3', {}, 'Regions'),
          h('ul', {}, (p.regions || []).map((r) => h('li', {}, `${r.id} — `,
            h('a', { href: `/projects/${encodeURIComponent(p.id)}/regions/${encodeURIComponent(r.id)}/rcfile`, download: `${p.id}-${r.id}-openrc.sh` },
              `Download the RC file of ${r.id}`)))),
          btn, box));
      }
    } catch (e) { showError(e); }
  })();
}
