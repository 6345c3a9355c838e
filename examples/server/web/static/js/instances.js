// instances.js: the instances page — every instance of the chosen scope
// with live state, filtering, sorting, paging, selection and bulk actions.
import { api, failedClouds, failure } from './api.js';
import { ACTIONS, applyAdmits, dryRun, runAction } from './bulk.js';
import { fmtTime, h, showError, stateClass } from './dom.js';
import { compareRows, matches, parseFilter, whereSQL } from './filter.js';
import { openLaunch } from './launch.js';
import { applyEvents, eventsPath, openLive } from './live.js';
import { rowOf } from './rows.js';

// COLUMNS of the table; opt columns hide on narrow screens.
const COLUMNS = [
  { key: 'name', label: 'Name' },
  { key: 'state', label: 'State' },
  { key: 'project', label: 'Project' },
  { key: 'cloud', label: 'Cloud', opt: true },
  { key: 'flavor', label: 'Flavor', opt: true },
  { key: 'image', label: 'Image', opt: true },
  { key: 'address', label: 'Addresses' },
  { key: 'created', label: 'Created', opt: true },
];

// POLL_MS is how often the list is read while the event stream is down.
const POLL_MS = 1000;
// MAX_PENDING bounds the events held while a list read is under way; past
// it they are dropped and the list is read again.
const MAX_PENDING = 20000;

export function render(main, ctx) {
  const st = {
    rows: [], rowsOrder: '', view: [], sortKey: 'name', sortDir: 1, page: 0, pageSize: 50,
    selected: new Set(), filter: { kind: 'none' }, whereIDs: null, admits: null, busy: false, loaded: false,
  };
  const abort = new AbortController();
  let timer = null;

  // The toolbar: filter and launch.
  const filterInput = h('input', { type: 'search', id: 'filter', placeholder: "state = 'launched' AND name LIKE 'web%'  or  hostname=web state=shutoff o=-hostname",
    'aria-describedby': 'filter-hint', autocomplete: 'off' });
  const filterHint = h('span', { class: 'hint', id: 'filter-hint' }, 'A WHERE condition of the query language, or field filters (hostname=, state=, project=, template_name=, o=).');
  const launchBtn = h('button', { type: 'button', class: 'primary', id: 'launch-open', onclick: () => openLaunch(ctx, progressArea, () => poll()) }, 'Launch…');
  const count = h('span', { class: 'hint', id: 'count', 'aria-live': 'polite' });
  // The clouds the last read could not list: their instances are missing.
  const failedNote = h('p', { class: 'warning', id: 'failed-clouds', role: 'status', hidden: true });

  // The bulk actions.
  const buttons = new Map();
  const actionBar = h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Actions on the selected instances' });
  for (const a of ACTIONS) {
    const b = h('button', { type: 'button', id: 'act-' + a.op, 'data-op': a.op, class: a.op === 'delete' ? 'danger' : '', disabled: true }, a.label);
    b.addEventListener('click', () => act(a));
    buttons.set(a.op, b);
    actionBar.append(b);
  }
  const progressArea = h('div', { id: 'progress-area' });

  // The table.
  const selectAll = h('input', { type: 'checkbox', id: 'select-all', 'aria-label': 'Select every instance that matches the filter' });
  const headRow = h('tr', {}, h('th', { class: 'check', scope: 'col' }, selectAll));
  const sortButtons = new Map();
  for (const c of COLUMNS) {
    const b = h('button', { type: 'button', class: 'sort', 'data-sort': c.key }, c.label);
    b.addEventListener('click', () => {
      if (st.sortKey === c.key) st.sortDir = -st.sortDir; else { st.sortKey = c.key; st.sortDir = 1; }
      update();
    });
    const th = h('th', { scope: 'col', class: c.opt ? 'opt' : '' }, b);
    sortButtons.set(c.key, th);
    headRow.append(th);
  }
  const tbody = h('tbody', { id: 'rows' });
  const table = h('table', { id: 'instances', 'aria-describedby': 'count' },
    h('caption', { class: 'visually-hidden' }, 'Instances'), h('thead', {}, headRow), tbody);

  const pageInfo = h('span', { id: 'page-info' });
  const prev = h('button', { type: 'button', id: 'prev' }, '‹ Previous');
  const next = h('button', { type: 'button', id: 'next' }, 'Next ›');
  const sizeSel = h('select', { id: 'page-size' }, [25, 50, 100, 500].map((n) => new Option(String(n), String(n), n === 50, n === 50)));
  prev.addEventListener('click', () => { st.page--; update(); });
  next.addEventListener('click', () => { st.page++; update(); });
  sizeSel.addEventListener('change', () => { st.pageSize = +sizeSel.value; st.page = 0; update(); });
  // Go to a page by its number: 10,000 rows are 200 pages of 50.
  const pageGo = h('input', { type: 'number', id: 'page-go', min: 1, value: 1, inputmode: 'numeric' });
  pageGo.addEventListener('change', () => {
    const n = Math.trunc(+pageGo.value);
    if (Number.isFinite(n) && n >= 1) { st.page = n - 1; update(); }
    pageGo.value = String(st.page + 1);
  });

  main.append(
    h('h1', {}, 'Instances'),
    h('div', { class: 'toolbar' },
      h('div', { class: 'grow' }, h('label', { for: 'filter', class: 'visually-hidden' }, 'Filter instances'), filterInput), launchBtn),
    filterHint,
    failedNote, actionBar, count, progressArea,
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'pager' }, prev, pageInfo, next, h('label', { for: 'page-go' }, 'Go to page'), pageGo,
      h('label', { for: 'page-size' }, 'Rows per page'), sizeSel));

  // Filtering: field filters at once, WHERE text when typing pauses.
  let filterTimer = null;
  filterInput.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyFilter, 300);
  });
  filterInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') { clearTimeout(filterTimer); applyFilter(); } });

  async function applyFilter() {
    st.filter = parseFilter(filterInput.value);
    st.page = 0;
    filterInput.removeAttribute('aria-invalid');
    if (st.filter.kind === 'error') {
      filterInput.setAttribute('aria-invalid', 'true');
      showError(st.filter.message);
      return;
    }
    if (st.filter.kind === 'fields' && st.filter.order) {
      st.sortKey = st.filter.order.key;
      st.sortDir = st.filter.order.dir;
    }
    await refreshWhere();
    update();
  }

  // refreshWhere runs the WHERE filter on the server.
  async function refreshWhere() {
    if (st.filter.kind !== 'where') { st.whereIDs = null; return; }
    try {
      const res = await api('POST', '/query', [{ sql: whereSQL(st.filter.where), parameters: [] }], { signal: abort.signal });
      const r = res[0];
      if (r.status !== 'success') throw new Error(`filter: ${r.message || r.status}`);
      st.whereIDs = new Set(r.data.row.map((x) => x.value[0]));
      filterInput.removeAttribute('aria-invalid');
    } catch (e) {
      if (e.name === 'AbortError') return;
      filterInput.setAttribute('aria-invalid', 'true');
      st.whereIDs = new Set();
      showError(e);
    }
  }

  selectAll.addEventListener('change', () => {
    if (selectAll.checked) st.view.forEach((r) => st.selected.add(r.id));
    else st.selected.clear();
    update();
    selectionChanged();
  });

  tbody.addEventListener('change', (e) => {
    const id = e.target.dataset.id;
    if (!id) return;
    if (e.target.checked) st.selected.add(id); else st.selected.delete(id);
    e.target.closest('tr').classList.toggle('selected', e.target.checked);
    updateCount();
    selectionChanged();
  });

  // selectionChanged asks the server which actions the selection admits.
  let dryTimer = null;
  function selectionChanged() {
    applyAdmits(buttons, st.selected.size, st.admits);
    clearTimeout(dryTimer);
    dryTimer = setTimeout(refreshAdmits, 120);
  }
  async function refreshAdmits() {
    if (st.selected.size === 0) { st.admits = null; applyAdmits(buttons, 0, null); return; }
    try {
      st.admits = await dryRun(ctx.prefix, [...st.selected], abort.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      st.admits = null;
    }
    applyAdmits(buttons, st.selected.size, st.admits);
  }

  async function act(action) {
    if (st.busy) return;
    const ids = [...st.selected];
    const names = new Map(st.rows.map((r) => [r.id, r.name]));
    st.busy = true;
    try {
      const task = await runAction(action, ctx.prefix, ids, names, progressArea);
      if (task && action.op === 'delete') {
        for (const r of task.results || []) if (r.state === 'succeeded') st.selected.delete(r.id);
      }
    } catch (e) {
      showError(e);
    } finally {
      st.busy = false;
      poll();
      selectionChanged();
    }
  }

  function updateCount() {
    count.textContent = `${st.view.length} instance${st.view.length === 1 ? '' : 's'}` +
      (st.view.length !== st.rows.length ? ` of ${st.rows.length}` : '') + `, ${st.selected.size} selected`;
    selectAll.checked = st.view.length > 0 && st.view.every((r) => st.selected.has(r.id));
  }

  // view filters and sorts the rows, again only when the rows, the filter
  // or the order changed: paging and selecting reuse the sorted view.
  let viewOf = [];
  function view() {
    const of = [st.rows, st.filter, st.whereIDs, st.sortKey, st.sortDir];
    if (of.every((x, i) => x === viewOf[i])) return st.view;
    let v = st.rows;
    if (st.filter.kind === 'fields') v = v.filter((r) => matches(r, st.filter.filters));
    if (st.filter.kind === 'where' && st.whereIDs) v = v.filter((r) => st.whereIDs.has(r.id));
    viewOf = of;
    // The poller sorts the rows it reads by the order asked for then.
    if (st.rowsOrder === `${st.sortKey} ${st.sortDir}`) return v;
    return (v === st.rows ? [...v] : v).sort(compareRows(st.sortKey, st.sortDir));
  }

  // update draws the current page of the view only, so that 10,000 rows
  // cost at most one sort and a page of DOM.
  let drawn = [];
  function update() {
    const v = view();
    st.view = v;
    const pages = Math.max(1, Math.ceil(v.length / st.pageSize));
    st.page = Math.min(Math.max(0, st.page), pages - 1);
    const slice = v.slice(st.page * st.pageSize, (st.page + 1) * st.pageSize);
    for (const [key, th] of sortButtons) {
      if (key === st.sortKey) th.setAttribute('aria-sort', st.sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const sameRows = slice.length === drawn.length && slice.every((r, i) => r.id === drawn[i]);
    if (sameRows) {
      slice.forEach((r, i) => fillRow(tbody.rows[i], r));
    } else {
      tbody.replaceChildren(...slice.map((r) => fillRow(newRow(r), r)));
      drawn = slice.map((r) => r.id);
    }
    if (!slice.length) {
      tbody.replaceChildren(h('tr', {}, h('td', { colspan: COLUMNS.length + 1, class: 'empty' },
        st.loaded ? (st.rows.length ? 'No instance matches the filter.' : 'No instances yet: launch some.') : 'Loading…')));
      drawn = [];
    }
    pageInfo.textContent = `Page ${st.page + 1} of ${pages}`;
    pageGo.max = String(pages);
    if (document.activeElement !== pageGo) pageGo.value = String(st.page + 1);
    prev.disabled = st.page === 0;
    next.disabled = st.page >= pages - 1;
    updateCount();
  }

  function newRow(r) {
    const tr = h('tr', { 'data-id': r.id });
    tr.append(h('td', { class: 'check' }, h('input', { type: 'checkbox', 'data-id': r.id, 'aria-label': `Select ${r.name}` })));
    for (const c of COLUMNS) {
      tr.append(c.key === 'name'
        ? h('td', {}, h('a', { href: `#/instances/${encodeURIComponent(r.id)}` }))
        : h('td', { class: c.opt ? 'opt' : '' }, c.key === 'state' ? h('span') : ''));
    }
    return tr;
  }

  function fillRow(tr, r) {
    const cells = tr.cells;
    const cb = cells[0].firstChild;
    cb.checked = st.selected.has(r.id);
    tr.classList.toggle('selected', cb.checked);
    COLUMNS.forEach((c, i) => {
      const td = cells[i + 1];
      if (c.key === 'name') setText(td.firstChild, r.name + (r.locked ? ' 🔒' : ''));
      else if (c.key === 'state') {
        const span = td.firstChild;
        setText(span, r.state);
        const cls = stateClass(r.state);
        if (span.className !== cls) span.className = cls;
      } else setText(td, c.key === 'created' ? fmtTime(r.created) : r[c.key]);
    });
    return tr;
  }

  function setText(el, t) { if (el.textContent !== String(t ?? '')) el.textContent = String(t ?? ''); }

  // The poller reads, parses and sorts the instances in a worker, and
  // asks with the last answer's ETag: while nothing changed the server
  // answers 304 and the page does nothing. Without workers the page reads
  // them itself.
  let worker = null;
  let etag = '';
  try {
    worker = new Worker(new URL('./poller.js', import.meta.url), { type: 'module' });
  } catch {
    worker = null;
  }
  function readRows(path) {
    if (!worker) {
      let failed = null;
      return api('GET', path, undefined, { signal: abort.signal, onResponse: (res) => { failed = failedClouds(res); } })
        .then((list) => ({ rows: list.map(rowOf), order: '', failed }));
    }
    return new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.error) reject(failure(path, m.error.status, m.error.code, m.error.message));
        else if (m.notModified) { showFailed(m.failed); resolve(null); }
        else { etag = m.etag; resolve({ rows: m.rows, order: `${m.sortKey} ${m.sortDir}`, failed: m.failed }); }
      };
      worker.onerror = (e) => {
        // The worker did not load: read on the page from now on.
        e.preventDefault();
        worker.terminate();
        worker = null;
        readRows(path).then(resolve, reject);
      };
      worker.postMessage({ path, etag, sortKey: st.sortKey, sortDir: st.sortDir });
    });
  }

  // poll reads the instances again. The events that come while it reads
  // are applied after it: they are as new as the list or newer.
  let polling = false;
  let pollAgain = false;
  async function poll() {
    if (polling) { pollAgain = true; return; }
    polling = true;
    try {
      const read = await readRows(`${ctx.prefix}/instances/all`);
      let changed = false;
      if (read) {
        showFailed(read.failed);
        st.rows = read.rows;
        st.rowsOrder = read.order;
        st.loaded = true;
        changed = true;
      }
      if (pending.length) changed = takePending() || changed;
      if (!changed) return; // not modified
      await redraw();
    } catch (e) {
      if (e.name !== 'AbortError') { st.loaded = true; update(); showError(e); }
    } finally {
      polling = false;
      if (pollAgain) { pollAgain = false; poll(); }
    }
  }

  // showFailed says which clouds the list lacks (f: failedClouds), or
  // hides the note when every cloud answered.
  function showFailed(f) {
    if (!f || !f.failed || !f.failed.length) { failedNote.hidden = true; failedNote.textContent = ''; return; }
    const n = f.failed.length + (f.omitted || 0);
    const which = f.failed.map((c) => `${c.projectName || c.projectId || c.cloudId}${c.region ? ' — ' + c.region : ''} (${c.code}: ${c.message})`);
    if (f.omitted) which.push(`${f.omitted} more`);
    const text = `${n} of ${f.clouds} clouds did not answer; their instances are not shown: ${which.join('; ')}`;
    if (failedNote.textContent !== text) failedNote.textContent = text;
    failedNote.hidden = false;
  }

  // redraw shows new rows: the selection keeps the rows that still exist.
  async function redraw() {
    const known = new Set(st.rows.map((r) => r.id));
    for (const id of [...st.selected]) if (!known.has(id)) st.selected.delete(id);
    if (st.filter.kind === 'where') await refreshWhere();
    update();
    if (st.selected.size) refreshAdmits();
  }

  // The live state: GET /events moves the table. The list is read when
  // the stream opens (what happened before is unknown) and after a resync,
  // and every POLL_MS while the stream is down, as the fallback.
  let pending = [];
  let flushTimer = null;
  function startPolling() {
    if (!timer) timer = setInterval(() => { if (!document.hidden) poll(); }, POLL_MS);
  }
  function stopPolling() { clearInterval(timer); timer = null; }
  // While the page is hidden, events wait (at most MAX_PENDING of them,
  // then the list is read again when it shows) and nothing is drawn.
  let needList = false;
  function onEvent(ev) {
    if (ev.kind === 'resync' || pending.length >= MAX_PENDING) {
      pending = [];
      needList = true;
    } else {
      pending.push(ev);
    }
    if (!flushTimer) flushTimer = setTimeout(flush, 50); // a burst redraws once
  }
  // takePending applies the pending events to the rows; it reports
  // whether they changed.
  function takePending() {
    const rows = applyEvents(st.rows, pending, rowOf);
    pending = [];
    if (rows === st.rows) return false;
    st.rows = rows;
    st.rowsOrder = ''; // the view sorts them again
    return true;
  }
  async function flush() {
    flushTimer = null;
    if (document.hidden) { flushTimer = setTimeout(flush, POLL_MS); return; }
    if (needList) { needList = false; poll(); return; } // it takes the pending events too
    if (polling || !pending.length) return; // the list read takes them
    if (takePending()) await redraw();
  }

  update();
  poll();
  const closeLive = openLive(eventsPath(ctx.scope), {
    onOpen: () => { stopPolling(); poll(); },
    onEvent,
    onDown: startPolling, // the browser reconnects by itself; onOpen follows
  });
  if (!closeLive) startPolling();
  return () => {
    stopPolling(); clearTimeout(filterTimer); clearTimeout(dryTimer); clearTimeout(flushTimer); abort.abort();
    if (closeLive) closeLive();
    if (worker) worker.terminate();
  };
}
