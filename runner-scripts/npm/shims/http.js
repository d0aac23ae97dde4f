// Node's `http`/`https` client over the host's HTTP client: a ClientRequest buffers its body, the host
// sends it (egress policy, size and time bounds, the invocation's deadline) and the answer comes back
// as an IncomingMessage stream. No server side: a Script cannot listen.
'use strict';
const { Buffer } = require('buffer/');
const { EventEmitter } = require('events');
const { Writable, Readable } = require('stream-browserify');
const { URL } = require('whatwg-url');

const STATUS_CODES = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other',
  304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** Stands in for the TCP socket libraries poke at (keep-alive, no-delay, addresses): the host owns the real one. */
class FakeSocket extends EventEmitter {
  constructor() { super(); this.remoteAddress = undefined; this.encrypted = false; this.writable = true; }
  setKeepAlive() { return this; }
  setNoDelay() { return this; }
  setTimeout() { return this; }
  ref() { return this; }
  unref() { return this; }
  destroy() { return this; }
  end() { return this; }
}

class IncomingMessage extends Readable {
  constructor(answer, socket, request) {
    super();
    this.statusCode = answer.status;
    this.statusMessage = answer.statusText || STATUS_CODES[answer.status] || '';
    this.httpVersion = '1.1';
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.headers = {};
    this.rawHeaders = [];
    for (const [name, value] of answer.headers) {
      const key = name.toLowerCase();
      this.rawHeaders.push(name, value);
      if (key === 'set-cookie') (this.headers[key] = this.headers[key] || []).push(value);
      else this.headers[key] = key in this.headers ? this.headers[key] + ', ' + value : value;
    }
    this.trailers = {};
    this.socket = socket;
    this.connection = socket;
    this.req = request;
    this.complete = false;
    this.body = Buffer.from(answer.body || '', 'base64');
    this.pushed = false;
  }
  _read() {
    if (this.pushed) return;
    this.pushed = true;
    if (this.body.length > 0) this.push(this.body);
    this.complete = true;
    this.push(null);
  }
  setTimeout() { return this; }
}

function targetOf(protocol, input, options) {
  let opts = {};
  const whatwg = input && typeof input === 'object' && typeof input.href === 'string' && typeof input.searchParams === 'object';
  if (typeof input === 'string' || whatwg) {
    const u = new URL(whatwg ? input.href : input);
    opts = { protocol: u.protocol, hostname: u.hostname, port: u.port, path: u.pathname + u.search, auth: u.username ? decodeURIComponent(u.username) + ':' + decodeURIComponent(u.password) : undefined };
    if (options && typeof options === 'object') opts = Object.assign(opts, options);
  } else {
    opts = Object.assign({}, input || {});
  }
  const proto = opts.protocol || protocol;
  let host = opts.hostname || (opts.host ? String(opts.host).replace(/:\d+$/, '') : 'localhost');
  if (host.includes(':') && !host.startsWith('[')) host = '[' + host + ']';
  const port = opts.port ? ':' + opts.port : '';
  return { opts, url: proto + '//' + host + port + (opts.path || '/') };
}

module.exports = function makeHttp(protocol, bridge) {
  class ClientRequest extends Writable {
    constructor(input, options, callback) {
      super();
      if (typeof options === 'function') { callback = options; options = undefined; }
      const { opts, url } = targetOf(protocol, input, options);
      this.method = String(opts.method || 'GET').toUpperCase();
      this.url = url;
      this.path = opts.path || '/';
      this.host = opts.hostname || opts.host;
      this.protocol = protocol;
      this.timeoutMillis = opts.timeout > 0 ? opts.timeout : 0;
      this.headerMap = new Map();
      for (const [k, v] of Object.entries(opts.headers || {})) if (v !== undefined) this.setHeader(k, v);
      if (opts.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', 'Basic ' + Buffer.from(opts.auth).toString('base64'));
      this.chunks = [];
      this.aborted = false;
      this.finished = false;
      this.reusedSocket = false;
      this.socket = new FakeSocket();
      this.connection = this.socket;
      this.cancel = null;
      if (callback) this.once('response', callback);
      // What Node's agents hook into (http-cookie-agent, for axios-cookiejar-support): addRequest at
      // construction, then _implicitHeader just before the headers go out.
      this._header = null;
      this._headerSent = false;
      this.outputData = [];
      this.agent = opts.agent || undefined;
      if (this.agent && typeof this.agent.addRequest === 'function') this.agent.addRequest(this, opts);
      Promise.resolve().then(() => { if (!this.aborted) this.emit('socket', this.socket); });
    }
    setHeader(name, value) { this.headerMap.set(String(name).toLowerCase(), [String(name), value]); return this; }
    getHeader(name) { const e = this.headerMap.get(String(name).toLowerCase()); return e ? e[1] : undefined; }
    hasHeader(name) { return this.headerMap.has(String(name).toLowerCase()); }
    removeHeader(name) { this.headerMap.delete(String(name).toLowerCase()); }
    getHeaders() { const out = {}; for (const [k, [, v]] of this.headerMap) out[k] = v; return out; }
    getHeaderNames() { return [...this.headerMap.keys()]; }
    getRawHeaderNames() { return [...this.headerMap.values()].map((e) => e[0]); }
    flushHeaders() {}
    setNoDelay() {}
    setSocketKeepAlive() {}
    setTimeout(ms, cb) { this.timeoutMillis = ms; if (cb) this.once('timeout', cb); return this; }
    _write(chunk, encoding, done) { this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding)); done(); }
    _implicitHeader() {}
    _final(done) {
      this.finished = true;
      this._implicitHeader();
      if (this.aborted) { done(); return; }
      const headers = [];
      for (const [, [name, value]] of this.headerMap) {
        for (const v of Array.isArray(value) ? value : [value]) headers.push([name, String(v)]);
      }
      const spec = { method: this.method, url: this.url, headers, timeoutMillis: this.timeoutMillis };
      this.cancel = bridge.request(spec, Buffer.concat(this.chunks).toString('base64'), (error, answer) => {
        this.cancel = null;
        if (this.aborted) return;
        if (error !== null) {
          const e = new Error(error.message);
          e.code = error.code;
          if (error.code === 'ETIMEDOUT') this.emit('timeout');
          this.destroy(e);
          return;
        }
        const response = new IncomingMessage(answer, this.socket, this);
        this.res = response;
        if (!this.emit('response', response)) response.resume();
        this.emit('close');
      });
      done();
    }
    abort() { this.destroy(); this.emit('abort'); }
    _destroy(error, done) {
      this.aborted = true;
      if (this.cancel !== null) { this.cancel(); this.cancel = null; }
      done(error);
    }
  }

  class Agent extends EventEmitter {
    constructor(options) { super(); this.options = Object.assign({}, options); this.maxSockets = Infinity; this.sockets = {}; this.requests = {}; this.freeSockets = {}; this.defaultPort = protocol === 'https:' ? 443 : 80; this.protocol = protocol; }
    addRequest() {}
    destroy() {}
  }

  const request = (input, options, callback) => new ClientRequest(input, options, callback);
  const get = (input, options, callback) => { const req = request(input, options, callback); req.end(); return req; };
  const server = () => { throw new Error('a Script cannot listen: createServer is not available in the ScriptForge sandbox'); };
  return { request, get, ClientRequest, IncomingMessage, Agent, globalAgent: new Agent(), STATUS_CODES, METHODS, createServer: server, Server: server, maxHeaderSize: 16384 };
};
