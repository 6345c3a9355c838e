// poller.js: a module worker that reads the instances for the table, so
// that reading, parsing and sorting 10,000 of them never blocks the page.
//
// The page posts {path, etag, sortKey, sortDir}; the worker answers
//   {notModified: true, failed}              the list is the one of etag (HTTP 304),
//   {rows, etag, sortKey, sortDir, failed}  the rows (rows.js), sorted so,
//   {error: {status, code, message}}         what the API or the network said;
// failed is the clouds that did not answer (failedClouds), or null.
import { bodyOf, errorOf, failedClouds } from './api.js';
import { compareRows } from './filter.js';
import { rowOf } from './rows.js';

self.onmessage = async (e) => {
  const { path, etag, sortKey, sortDir } = e.data;
  const headers = { Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  let res;
  try {
    // no-store: the worker keeps the ETag itself, so a 304 reaches it
    // as a 304 instead of as the browser cache's copy.
    res = await fetch(path, { headers, credentials: 'same-origin', cache: 'no-store' });
  } catch (err) {
    self.postMessage({ error: { status: 0, code: 'network', message: `GET ${path}: the server cannot be reached (${err.message})` } });
    return;
  }
  if (res.status === 304) {
    self.postMessage({ notModified: true, failed: failedClouds(res) });
    return;
  }
  const data = await bodyOf(res);
  if (!res.ok) {
    self.postMessage({ error: errorOf(res, data) });
    return;
  }
  const rows = data.map(rowOf).sort(compareRows(sortKey, sortDir));
  self.postMessage({ rows, etag: res.headers.get('ETag') || '', sortKey, sortDir, failed: failedClouds(res) });
};
