// A WHATWG fetch for app and worker Scripts over the host HTTP client: the same egress policy and bounds
// as the modules' http shim. Buffered: the body is read whole, up to the host's response limit.
'use strict';
const { Buffer } = require('buffer/');

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

class Headers {
  constructor(init) {
    this.map = new Map();
    if (init === undefined || init === null) return;
    const entries = init instanceof Headers ? init.entries() : Array.isArray(init) ? init : Object.entries(init);
    for (const [name, value] of entries) this.append(name, value);
  }
  append(name, value) {
    const key = String(name).toLowerCase();
    const previous = this.map.get(key);
    this.map.set(key, previous === undefined ? String(value) : previous + ', ' + value);
  }
  set(name, value) { this.map.set(String(name).toLowerCase(), String(value)); }
  get(name) { const value = this.map.get(String(name).toLowerCase()); return value === undefined ? null : value; }
  has(name) { return this.map.has(String(name).toLowerCase()); }
  delete(name) { this.map.delete(String(name).toLowerCase()); }
  forEach(callback, thisArg) { for (const [name, value] of this.map) callback.call(thisArg, value, name, this); }
  entries() { return this.map.entries(); }
  keys() { return this.map.keys(); }
  values() { return this.map.values(); }
  [Symbol.iterator]() { return this.map.entries(); }
}

class Response {
  constructor(body, init = {}) {
    this.body = body === undefined || body === null ? Buffer.alloc(0) : Buffer.from(body);
    this.status = init.status === undefined ? 200 : init.status;
    this.statusText = init.statusText || '';
    this.headers = new Headers(init.headers);
    this.url = init.url || '';
    this.redirected = Boolean(init.redirected);
    this.type = 'basic';
    this.bodyUsed = false;
  }
  get ok() { return this.status >= 200 && this.status < 300; }
  consume() {
    if (this.bodyUsed) return Promise.reject(new TypeError('the body of this Response was read already'));
    this.bodyUsed = true;
    return Promise.resolve(this.body);
  }
  text() { return this.consume().then((b) => b.toString('utf8')); }
  json() { return this.text().then(JSON.parse); }
  arrayBuffer() { return this.consume().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); }
  clone() { return new Response(this.body, this); }
}

function bodyOf(body, headers) {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return Buffer.from(body.buffer || body, body.byteOffset || 0, body.byteLength);
  if (typeof body.append === 'function' && typeof body.toString === 'function' && typeof body.getAll === 'function') { // URLSearchParams
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString(), 'utf8');
  }
  throw new TypeError('fetch: a body is a string, an ArrayBuffer, a typed array or URLSearchParams in the sandbox');
}

module.exports = function makeFetch(bridge, URL) {
  function exchange(method, url, headers, body, signal, redirects, resolve, reject) {
    const spec = { method, url, headers: [...headers.entries()], timeoutMillis: 0 };
    let cancel = null;
    const onAbort = () => { if (cancel !== null) cancel(); reject(signal.reason || new Error('the fetch was aborted')); };
    if (signal) signal.addEventListener('abort', onAbort);
    cancel = bridge.request(spec, body.toString('base64'), (error, answer) => {
      cancel = null;
      if (signal) signal.removeEventListener('abort', onAbort);
      if (error !== null) {
        reject(Object.assign(new TypeError('fetch failed: ' + error.message), { cause: { code: error.code, message: error.message } }));
        return;
      }
      const location = answer.headers.find(([name]) => name.toLowerCase() === 'location');
      if (REDIRECTS.has(answer.status) && location && redirects < MAX_REDIRECTS) {
        const next = new URL(location[1], url).href;
        const keepBody = answer.status === 307 || answer.status === 308;
        exchange(keepBody ? method : (method === 'HEAD' ? 'HEAD' : 'GET'), next, headers, keepBody ? body : Buffer.alloc(0), signal, redirects + 1, resolve, reject);
        return;
      }
      resolve(new Response(Buffer.from(answer.body, 'base64'),
        { status: answer.status, statusText: answer.statusText, headers: answer.headers, url, redirected: redirects > 0 }));
    });
  }

  function fetch(input, init = {}) {
    return new Promise((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input.href || input.url).href;
      const headers = new Headers(init.headers || (input && input.headers));
      const method = String(init.method || (input && input.method) || 'GET').toUpperCase();
      if (init.signal && init.signal.aborted) { reject(init.signal.reason || new Error('the fetch was aborted')); return; }
      exchange(method, url, headers, bodyOf(init.body, headers), init.signal, 0, resolve, reject);
    });
  }
  return { fetch, Headers, Response };
};
