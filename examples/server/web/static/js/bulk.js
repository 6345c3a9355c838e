// bulk.js: the bulk actions on selected instances — which the state
// machine admits (the server's dry run), the confirmation, the progress
// of the task, and the per-item results.
import { api, waitTask } from './api.js';
import { $, announce, confirmDialog, h } from './dom.js';

// ACTIONS are every bulk action of the instances page.
export const ACTIONS = [
  { op: 'reboot', label: 'Reboot', method: 'PUT', path: 'reboot' },
  { op: 'hard-reboot', label: 'Hard reboot', method: 'PUT', path: 'hard-reboot', destructive: true },
  { op: 'start', label: 'Start', method: 'PUT', path: 'start' },
  { op: 'shutdown', label: 'Shut down', method: 'PUT', path: 'shutdown', destructive: true },
  { op: 'pause', label: 'Pause', method: 'PUT', path: 'pause' },
  { op: 'resume', label: 'Resume', method: 'PUT', path: 'resume' },
  { op: 'suspend', label: 'Suspend', method: 'PUT', path: 'suspend' },
  { op: 'resize', label: 'Resize…', method: 'PUT', path: 'resize', arg: 'flavor' },
  { op: 'rebuild', label: 'Rebuild…', method: 'PUT', path: 'rebuild', arg: 'image', destructive: true },
  { op: 'snapshot', label: 'Snapshot…', method: 'PUT', path: 'snapshot', arg: 'name' },
  { op: 'lock', label: 'Lock', method: 'PUT', path: 'lock' },
  { op: 'unlock', label: 'Unlock', method: 'PUT', path: 'unlock' },
  { op: 'tag', label: 'Tag…', method: 'POST', path: 'tag', arg: 'tags' },
  { op: 'delete', label: 'Delete', method: 'POST', path: 'delete', destructive: true },
];

// dryRun asks the server which of ids each action admits:
// {op: {admitted: n, refused: [{id, message}]}}.
export async function dryRun(prefix, ids, signal) {
  // One reason is shown per action: limit 1 keeps the answer small for
  // 10,000 ids (refusedCount still counts every refusal).
  const res = await api('POST', `${prefix}/instances/dryrun`, { ids, operations: ACTIONS.map((a) => a.op), limit: 1 }, { signal });
  return res.operations || {};
}

// applyAdmits enables each action button that some selected instance
// admits, and says why on hover when none does.
export function applyAdmits(buttons, selectedCount, admits) {
  for (const a of ACTIONS) {
    const b = buttons.get(a.op);
    const d = admits && admits[a.op];
    if (selectedCount === 0) {
      b.disabled = true;
      b.title = 'Select instances first';
    } else if (!d) {
      b.disabled = false;
      b.title = '';
    } else if (d.admitted === 0) {
      b.disabled = true;
      const first = (d.refused && d.refused[0] && d.refused[0].message) || 'not admitted';
      const refused = d.refusedCount ?? (d.refused || []).length;
      const more = refused > 1 ? ` (and ${refused - 1} more)` : '';
      b.title = `${a.label.replace('…', '')} is not possible: ${first}${more}`;
    } else {
      b.disabled = false;
      b.title = d.refused && d.refused.length
        ? `${d.admitted} of ${selectedCount} admit it; ${d.refusedCount ?? d.refused.length} refused: ${d.refused[0].message}` : '';
    }
    b.setAttribute('aria-description', b.title);
  }
}

// askArgs asks for an action's argument in the shared dialog.
async function askArgs(action, prefix, count) {
  const fields = $('#args-fields');
  $('#args-title').textContent = `${action.label.replace('…', '')} ${count} instance${count === 1 ? '' : 's'}`;
  let input;
  if (action.arg === 'flavor' || action.arg === 'image') {
    input = h('select', { id: 'arg-input', required: true });
    const list = await api('GET', action.arg === 'flavor' ? `${prefix}/flavors` : `${prefix}/images`);
    for (const it of list) input.append(new Option(it.name ? `${it.name}` : it.id, it.id));
  } else if (action.arg === 'name') {
    input = h('input', { id: 'arg-input', required: true, value: 'snapshot' });
  } else {
    input = h('input', { id: 'arg-input', required: true, placeholder: 'web, production' });
  }
  const labels = { flavor: 'New flavor', image: 'Image to rebuild from', name: 'Snapshot name', tags: 'Tags (comma-separated)' };
  const err = h('span', { class: 'field-error', id: 'arg-err' });
  input.setAttribute('aria-describedby', 'arg-err');
  fields.replaceChildren(h('div', { class: 'field' }, h('label', { for: 'arg-input' }, labels[action.arg]), input, err));
  const dlg = $('#args');
  dlg.returnValue = '';
  return new Promise((resolve) => {
    const form = $('#args-form');
    const onSubmit = (e) => {
      if (e.submitter && e.submitter.value === 'ok' && !input.value.trim()) {
        e.preventDefault();
        err.textContent = `${labels[action.arg]} is required.`;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    };
    form.addEventListener('submit', onSubmit);
    dlg.addEventListener('close', () => {
      form.removeEventListener('submit', onSubmit);
      resolve(dlg.returnValue === 'ok' ? input.value.trim() : null);
    }, { once: true });
    dlg.showModal();
    input.focus();
  });
}

// request builds the method, path and body of an action.
function request(action, prefix, ids, arg) {
  const base = `${prefix}/instances/${action.path}`;
  switch (action.arg) {
    case 'flavor': case 'image': return [action.method, `${base}/${encodeURIComponent(arg)}`, ids];
    case 'name': return [action.method, base, { ids, name: arg }];
    case 'tags': return [action.method, base, { ids, tags: arg.split(',').map((s) => s.trim()).filter(Boolean) }];
  }
  return [action.method, base, ids];
}

// runAction runs action on ids: the argument, the confirmation, then the
// task with its progress bar and results in area. It resolves to the
// finished task, or null when the user cancelled.
export async function runAction(action, prefix, ids, names, area) {
  let arg = null;
  if (action.arg) {
    arg = await askArgs(action, prefix, ids.length);
    if (arg === null) return null;
  }
  if (action.destructive) {
    const what = ids.length === 1 ? `instance ${names.get(ids[0]) || ids[0]}` : `${ids.length} instances`;
    const ok = await confirmDialog(`${action.label.replace('…', '')} ${what}?`,
      action.op === 'delete' ? 'Deleted instances and their disks cannot be recovered.' : 'Running work on them will be interrupted.',
      action.label.replace('…', ''));
    if (!ok) return null;
  }
  const [method, path, body] = request(action, prefix, ids, arg);
  return runTask(method, path, body, `${action.label.replace('…', '')}: ${ids.length} instance${ids.length === 1 ? '' : 's'}`, names, area);
}

// runTask sends a bulk request asking for a task, then shows its progress
// and its per-item results in area.
export async function runTask(method, path, body, title, names, area) {
  const bar = h('progress', { max: 1, value: 0, id: 'task-progress', 'aria-label': title });
  const count = h('span', { class: 'hint' }, 'starting…');
  const failures = h('ul', { class: 'failures', id: 'task-failures' });
  const box = h('div', { class: 'progress card', id: 'task' }, h('strong', {}, title), bar, count, failures);
  area.replaceChildren(box);
  let task;
  try {
    task = await api(method, path, body, { async: true });
    task = await waitTask(task, (t) => {
      bar.max = Math.max(t.total, 1);
      bar.value = t.done;
      count.textContent = `${t.done} of ${t.total} done` + (t.failed ? `, ${t.failed} failed` : '');
      showFailures(failures, t, names);
    });
  } catch (e) {
    box.replaceChildren(h('strong', {}, title), h('p', { class: 'failed', role: 'alert' }, e.message));
    throw e;
  }
  box.replaceChildren(...resultsOf(task, title, names).children);
  box.classList.add('results');
  announce(`${title}: ${task.succeeded} succeeded, ${task.failed} failed`);
  return task;
}

// shownFailures is how many failed items a running task lists.
const shownFailures = 5;

// showFailures lists in ul the first items of a running task that have
// already failed, with their messages (the server shows each item's
// result as soon as it is done).
function showFailures(ul, task, names) {
  if (!task.failed || ul.dataset.failed === String(task.failed)) return;
  ul.dataset.failed = String(task.failed);
  const failed = (task.results || []).filter((r) => r.state === 'failed').slice(0, shownFailures);
  const rows = failed.map((r) => h('li', { class: 'failed' },
    `${(names && names.get(r.id)) || r.id}: ${r.message || 'failed'}`));
  if (task.failed > failed.length) rows.push(h('li', { class: 'hint' }, `and ${task.failed - failed.length} more`));
  ul.replaceChildren(...rows);
}

// resultsOf renders a finished task: a summary and one row per item,
// failed items first.
export function resultsOf(task, title, names) {
  const items = [...(task.results || [])].sort((a, b) => (a.state === 'failed' ? -1 : 0) - (b.state === 'failed' ? -1 : 0));
  const rows = items.map((r) => h('tr', { class: r.state === 'failed' ? 'failed' : 'ok' },
    h('td', {}, (names && names.get(r.id)) || (r.instance && r.instance.name) || r.id),
    h('td', {}, r.state === 'failed' ? '✗ failed' : '✓ succeeded'),
    h('td', {}, r.message || '')));
  const summary = task.state === 'failed' && !items.length
    ? `failed: ${task.message || 'the request failed'}`
    : `${task.succeeded} succeeded, ${task.failed} failed`;
  return h('div', {},
    h('strong', {}, `${title} — ${summary}`),
    h('progress', { max: Math.max(task.total, 1), value: task.done, 'aria-label': `${title}: done` }),
    h('table', { class: 'results-table', id: 'task-results' },
      h('caption', { class: 'visually-hidden' }, 'Result per instance'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Instance'), h('th', { scope: 'col' }, 'Result'), h('th', { scope: 'col' }, 'Message'))),
      h('tbody', {}, rows)));
}
