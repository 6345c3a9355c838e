// api.js: the REST API client. Every call goes through api(), which
// sends the CSRF token on mutating requests and turns an error answer
// into an ApiError carrying the API's own message.

let csrf = '';
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function setCSRF(token) { csrf = token || ''; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// api calls the API. body, when given, is sent as JSON (or as is when it
// is a Blob or File). opts.async asks for a task at once (202).
// opts.redirect 'manual' does not follow a redirect: a redirect answer
// resolves to {redirect: true}, an error answer still throws an ApiError.
// opts.onResponse, when given, sees the answer (its headers) first.
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.async) headers.Prefer = 'respond-async';
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal: opts.signal, redirect: opts.redirect || 'follow' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', `${method} ${path}: the server cannot be reached (${e.message})`);
  }
  if (res.type === 'opaqueredirect') return { redirect: true };
  if (opts.onResponse) opts.onResponse(res);
  const data = await bodyOf(res);
  if (res.ok || res.status === 207) return data;
  const e = errorOf(res, data);
  throw failure(path, e.status, e.code, e.message);
}

// bodyOf reads an answer's body: parsed when it is JSON, else its text.
// It touches no page state, so the poller worker uses it too.
export async function bodyOf(res) {
  const text = res.status === 204 ? '' : await res.text();
  if ((res.headers.get('Content-Type') || '').includes('json') && text) {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

// failedClouds reads the Perspective-Failed-Clouds header of a listing:
// {clouds, answered, failed: [{cloudId, projectName, region, code,
// message}], omitted} when some clouds did not answer, else null.
export function failedClouds(res) {
  const v = res.headers.get('Perspective-Failed-Clouds');
  if (!v) return null;
  try { return JSON.parse(v); } catch { return null; }
}

// errorOf is what an error answer says: {status, code, message}, the
// message being the API's own, or the body's text, or the status's.
export function errorOf(res, data) {
  const msg = (data && data.message) || (typeof data === 'string' && data) || res.statusText;
  return { status: res.status, code: data && data.code, message: `${msg} (HTTP ${res.status})` };
}

// failure is the ApiError of an error answer to path; a 401 outside the
// sign-in routes also tells the page that the session is gone.
export function failure(path, status, code, message) {
  const err = new ApiError(status, code, message);
  if (status === 401 && !path.startsWith('/auth/')) onUnauthorized(err);
  return err;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// waitTask polls GET /tasks/{id} until the task is no longer running,
// calling onProgress with each view of it.
export async function waitTask(task, onProgress, signal) {
  let t = task;
  onProgress(t);
  while (t.state === 'running') {
    await sleep(250);
    if (signal && signal.aborted) throw new DOMException('aborted', 'AbortError');
    t = await api('GET', '/tasks/' + encodeURIComponent(t.task));
    onProgress(t);
  }
  return t;
}
