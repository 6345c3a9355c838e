// dom.js: small helpers to build and update the page without a framework.

// h creates an element: h('button', {class: 'primary', onclick: fn}, 'Text').
// Attributes whose value is false, null or undefined are left out; true
// sets a boolean attribute; "on…" keys add event listeners.
export function h(tag, attrs = {}, ...children) {
  const el = tag.includes(':')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1])
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// svg creates an SVG element: svg('line', {x1: 0, …}).
export function svg(tag, attrs = {}, ...children) {
  return h('svg:' + tag, attrs, ...children);
}

export const $ = (sel, root = document) => root.querySelector(sel);

// announce tells screen readers about a change that is not focused.
export function announce(msg) {
  const live = $('#live');
  live.textContent = '';
  setTimeout(() => { live.textContent = msg; }, 30);
}

// showError shows an error message (the API's own message) at the top.
export function showError(err) {
  const msg = typeof err === 'string' ? err : (err && err.message) || String(err);
  $('#alert-text').textContent = msg;
  $('#alert').hidden = false;
}

export function clearError() {
  $('#alert').hidden = true;
  $('#alert-text').textContent = '';
}

// fmtTime renders an ISO time as the browser's local date and time.
export function fmtTime(s) {
  if (!s || s.startsWith('0001-')) return '';
  const d = new Date(s);
  return isNaN(d) ? s : d.toLocaleString();
}

// stateClass is the CSS class of an instance state badge.
export function stateClass(s) {
  if (['launched', 'error', 'shutoff', 'paused', 'suspended'].includes(s)) return 'state ' + s;
  if (s === 'deleted') return 'state';
  return 'state busy';
}

// confirmDialog asks a yes/no question in the shared dialog; it resolves
// to true when the user confirms.
export function confirmDialog(title, text, okLabel = 'Confirm') {
  const dlg = $('#confirm');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = okLabel;
  dlg.returnValue = '';
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.showModal();
    $('#confirm-ok').focus();
  });
}

// download offers text as a file.
export function downloadText(name, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
