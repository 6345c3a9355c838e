// app.js: the shell — sign-in state, the project and region picker, and
// the hash router that shows one page at a time.
import { api, setCSRF, setUnauthorizedHandler } from './api.js';
import { $, clearError, showError } from './dom.js';
import * as signin from './signin.js';
import * as instances from './instances.js';
import * as instance from './instance.js';
import * as images from './images.js';
import * as keypairs from './keypairs.js';
import * as projects from './projects.js';

const ctx = {
  me: null,
  projects: [],
  // scope is {project, region} or null for every project the user has.
  scope: null,
  // prefix is the API path prefix of the scope.
  prefix: '',
  navigate: (hash) => { if (location.hash === hash) route(); else location.hash = hash; },
  refreshMe: () => boot(),
};

let cleanup = null;

function setScope(value) {
  if (!value) {
    ctx.scope = null;
    ctx.prefix = '';
  } else {
    const [project, region] = value.split('|');
    ctx.scope = { project, region };
    ctx.prefix = `/projects/${encodeURIComponent(project)}/regions/${encodeURIComponent(region)}`;
  }
  localStorage.setItem('perspective.scope', value || '');
}

async function loadProjects() {
  const picker = $('#picker');
  try {
    ctx.projects = await api('GET', '/projects/list');
  } catch (e) {
    ctx.projects = [];
    showError(e);
  }
  picker.replaceChildren(new Option('All projects', ''));
  for (const p of ctx.projects) {
    for (const r of p.regions || []) {
      picker.append(new Option(`${p.name || p.id} — ${r.id}`, `${p.id}|${r.id}`));
    }
  }
  const saved = localStorage.getItem('perspective.scope') || '';
  picker.value = [...picker.options].some((o) => o.value === saved) ? saved : '';
  setScope(picker.value);
}

function showShell(signedIn) {
  for (const id of ['#nav', '#scope', '#who']) $(id).hidden = !signedIn;
}

async function boot() {
  try {
    ctx.me = await api('GET', '/auth/me');
  } catch (e) {
    ctx.me = null;
    if (e.status !== 401) showError(e);
  }
  if (!ctx.me) {
    showShell(false);
    setCSRF('');
    if (!location.hash.startsWith('#/signin')) location.hash = '#/signin';
    else route();
    return;
  }
  setCSRF(ctx.me.csrf);
  showShell(true);
  $('#who-name').textContent = ctx.me.open ? 'open server' : `Signed in as ${ctx.me.user}`;
  $('#signout').hidden = !!ctx.me.open;
  const banner = $('#banner');
  banner.hidden = !ctx.me.open;
  banner.textContent = ctx.me.open ? 'This server runs open: no sign-in is configured, so anyone who can reach it may act.' : '';
  await loadProjects();
  if (!location.hash || location.hash.startsWith('#/signin')) location.hash = '#/instances';
  else route();
}

function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  clearError();
  const main = $('#main');
  main.replaceChildren();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = parts[0] || 'instances';
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (!ctx.me && page !== 'signin') { location.hash = '#/signin'; return; }
  let view;
  switch (page) {
    case 'signin': view = signin; break;
    case 'instances': view = parts[1] ? instance : instances; break;
    case 'images': view = images; break;
    case 'keypairs': view = keypairs; break;
    case 'projects': view = projects; break;
    default:
      main.append(Object.assign(document.createElement('p'), { textContent: `No page ${location.hash}.` }));
      return;
  }
  document.title = `Perspective — ${page}`;
  cleanup = view.render(main, ctx, parts.slice(1)) || null;
}

setUnauthorizedHandler(() => {
  ctx.me = null;
  showShell(false);
  if (!location.hash.startsWith('#/signin')) location.hash = '#/signin';
});

window.addEventListener('hashchange', route);
$('#picker').addEventListener('change', (e) => { setScope(e.target.value); route(); });
$('#alert-close').addEventListener('click', clearError);
$('#signout').addEventListener('click', async () => {
  try {
    await api('POST', '/auth/logout');
  } catch (e) {
    if (e.status !== 401) { showError(e); return; }
  }
  ctx.me = null;
  setCSRF('');
  showShell(false);
  location.hash = '#/signin';
});

boot();
