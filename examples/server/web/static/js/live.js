// live.js: the instances' changes as GET /events streams them (Server-Sent
// Events read from the server's inventory), so that the table changes
// when an instance does instead of re-reading the list every second.

// KINDS are the events of the stream (see the API's Event schema).
const KINDS = ['created', 'changed', 'deleted', 'snapshot', 'resync'];

// eventsPath is the stream of the scope: every project the user has, or
// one project and region.
export function eventsPath(scope) {
  if (!scope) return '/events';
  return `/events?project=${encodeURIComponent(scope.project)}&region=${encodeURIComponent(scope.region)}`;
}

// openLive opens the stream at path and calls
//   onOpen()        when it is open (again): events flow from now on, and
//                   what happened while it was closed is unknown;
//   onEvent(ev)     for each event, ev being the API's Event;
//   onDown()        when it broke: the browser tries again by itself
//                   (onOpen follows), until the page closes it.
// It returns the function that closes the stream, or null when the browser
// has no EventSource.
export function openLive(path, { onOpen, onEvent, onDown }) {
  if (typeof EventSource === 'undefined') return null;
  let es;
  try {
    es = new EventSource(path, { withCredentials: true });
  } catch {
    return null;
  }
  es.onopen = () => onOpen();
  es.onerror = () => onDown();
  for (const kind of KINDS) {
    es.addEventListener(kind, (e) => {
      let ev;
      try { ev = JSON.parse(e.data); } catch { return; }
      if (ev && ev.kind === kind) onEvent(ev);
    });
  }
  return () => es.close();
}

// applyEvents returns rows with the events applied (rowOf makes a row of
// an instance), or rows itself when none changed them: created, changed
// and snapshot put the new instance's row in place, deleted drops it.
export function applyEvents(rows, events, rowOf) {
  let index = null;
  let out = rows;
  let changed = false;
  for (const ev of events) {
    if (ev.kind === 'resync') continue;
    if (!index) {
      out = rows.slice();
      index = new Map(out.map((r, i) => [r.id, i]));
    }
    const at = index.get(ev.id);
    if (ev.kind === 'deleted') {
      if (at === undefined) continue;
      changed = true;
      const last = out.pop();
      index.delete(ev.id);
      if (at < out.length) { out[at] = last; index.set(last.id, at); }
    } else if (ev.new) {
      changed = true;
      const row = rowOf(ev.new);
      if (at === undefined) { index.set(row.id, out.length); out.push(row); } else out[at] = row;
    }
  }
  return changed ? out : rows;
}
