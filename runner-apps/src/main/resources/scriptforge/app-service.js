// The library of an App's service JavaScript (docs/app-service-api.md), on the sandbox kernel
// (sandbox-kernel.js). It runs once in the app's context, before the app's files, builds the only globals
// they get (log/console, timers, Database, Config, JsonApi, WebServer and Crypto) and locks the context down
// as a Script's is. The host object it is given never becomes reachable from app code. Evaluated as an
// expression: a function of (host, metaJson, kernel) returning the entries the Java side calls, always on
// the app's one thread.
(function (host, metaJson, kernel) {
  'use strict';
  const meta = JSON.parse(metaJson);
  const { defineProperty, freeze, hasOwn, keys } = Object;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const isArray = Array.isArray;
  const appFiles = new Set(meta.files);
  const MAX_TIMERS = 10000;
  const MAX_OPERATIONS = 10000; // queries, transaction ends and config saves waiting for their result
  const MAX_RANDOM_BYTES = 65536;
  const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512', 'MD5'];
  const ENCODINGS = ['hex', 'base64'];
  const LINE_BREAK = /[\r\n]/;

  // The globals no sandbox offers are gone already: the kernel ran before this.

  // --- reporting ----------------------------------------------------------------------------------
  const { formatOne } = kernel;
  const pending = kernel.scheduler(host, MAX_TIMERS, MAX_OPERATIONS); // timers, queries, transaction ends, config saves

  /** The top frame of the error in the app's own files, as "file:line:column". */
  function whereOf(error) {
    const frame = kernel.frameOf(error, (file) => appFiles.has(file));
    return frame === null ? null : frame.file + ':' + frame.line + ':' + frame.column;
  }

  function shortMessage(error) {
    const text = error !== null && typeof error === 'object' && typeof error.message === 'string'
      ? (typeof error.name === 'string' ? error.name + ': ' : '') + error.message
      : 'uncaught ' + formatOne(error);
    const line = text.split('\n')[0];
    return line.length > 300 ? line.slice(0, 300) + '...' : line;
  }

  function report(what, error) {
    const where = whereOf(error);
    host.log('error', what + ' failed: ' + shortMessage(error) + (where ? ' (at ' + where + ')' : ''));
  }

  /** Calls app code: what it throws, or the promise it returns rejects with, is logged, never lost. */
  function guarded(what, fn, args) {
    let result;
    try {
      result = fn(...args);
    } catch (error) {
      report(what, error);
      return;
    }
    if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
      try { result.then(undefined, (error) => report(what, error)); } catch (error) { report(what, error); }
    }
  }

  function requireFunction(what, fn) {
    if (typeof fn !== 'function') throw new TypeError(what + ': pass a function, got ' + formatOne(fn));
  }

  // --- log and console ----------------------------------------------------------------------------
  function logger(level) {
    return function (...args) { host.log(level, args.map(formatOne).join(' ')); };
  }
  const log = logger('info');
  const console = freeze({
    log: logger('info'), info: logger('info'), warn: logger('warn'), error: logger('error'), debug: logger('debug'),
  });

  // --- timers: the host keeps the clock, the context keeps the callbacks ------------------------
  const clearTimer = (id) => pending.clearTimer(id);
  function fireTimer(id) {
    const timer = pending.due(id);
    if (timer === undefined) return; // cleared after it was due
    guarded(timer.repeat < 0 ? 'setTimeout callback' : 'setInterval callback', timer.fn, timer.args);
  }

  // --- host operations that settle later ----------------------------------------------------------
  /** The seed's callback style on a real Promise: p.oncomplete(fn).onerror(fn). */
  function seedStyle(promise) {
    defineProperty(promise, 'oncomplete', {
      value(fn) {
        requireFunction('oncomplete', fn);
        promise.then((value) => guarded('oncomplete callback', fn, [value]), () => {});
        return promise;
      },
    });
    defineProperty(promise, 'onerror', {
      value(fn) {
        requireFunction('onerror', fn);
        promise.then(undefined, (error) => guarded('onerror callback', fn, [error, error && error.message, error && error.code]));
        return promise;
      },
    });
    return promise;
  }

  /** start(id) asks the host; settle(id, ...) later resolves with decode(json) or rejects. */
  function operation(start, decode, onFailure) {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    try {
      pending.startOperation('database and config operations', { resolve, reject, decode, onFailure }, start);
    } catch (error) {
      reject(error);
    }
    return seedStyle(promise);
  }

  function settle(id, ok, json) {
    const op = pending.operation(id, true);
    if (op === undefined) return;
    if (ok) {
      let value;
      try { value = op.decode(json); } catch (error) { op.reject(error); return; }
      op.resolve(value);
      return;
    }
    const info = parse(json);
    const error = new Error(info.message);
    if (info.code) error.code = info.code;
    if (op.onFailure) op.onFailure();
    op.reject(error);
  }

  // --- Database -----------------------------------------------------------------------------------
  function sqlParams(what, sql, params) {
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new TypeError(what + ': the first argument is the SQL text, with ? for each value');
    }
    const values = [];
    for (let i = 0; i < params.length; i++) {
      const v = params[i];
      if (v === null || v === undefined) values.push(null);
      else if (typeof v === 'string' || typeof v === 'boolean') values.push(v);
      else if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new TypeError(what + ': value ' + (i + 1) + ' is ' + v + '; only finite numbers can be stored');
        values.push(v);
      } else if (typeof v === 'bigint') values.push(String(v));
      else if (v instanceof Date) values.push(v.toISOString());
      else {
        throw new TypeError(what + ': value ' + (i + 1) + ' is ' + (isArray(v) ? 'an array' : 'a ' + typeof v)
          + '; pass a string, number, boolean or null (JSON.stringify an object to store it)');
      }
    }
    return stringify(values);
  }

  function query(kind, what, txId, sql, params) {
    return operation((op) => host.query(op, txId, kind, sql, sqlParams(what, sql, params)), parse);
  }

  let nextTransaction = 1;
  function transaction(fn) {
    if (typeof fn !== 'function') {
      return seedStyle(Promise.reject(new TypeError('Database.transaction: pass a function, e.g. async (tx) => { await tx.exec(...); }')));
    }
    const txId = nextTransaction++;
    let open = true;
    const over = () => seedStyle(Promise.reject(new Error(
      'the transaction is over: run its statements before the promise of its function settles')));
    const tx = freeze({
      exec: (sql, ...params) => (open ? query('exec', 'tx.exec', txId, sql, params) : over()),
      insert: (sql, ...params) => (open ? query('insert', 'tx.insert', txId, sql, params) : over()),
    });
    host.begin(txId);
    let result;
    try {
      result = fn(tx);
    } catch (error) {
      result = Promise.reject(error);
    }
    return seedStyle(new Promise((resolve, reject) => {
      Promise.resolve(result).then(
        (value) => {
          open = false;
          operation((op) => host.end(op, txId, true), () => value).then(resolve, reject);
        },
        (error) => {
          open = false;
          operation((op) => host.end(op, txId, false), () => undefined).then(() => reject(error), () => reject(error));
        });
    }));
  }

  const Database = freeze({
    exec: (sql, ...params) => query('exec', 'Database.exec', 0, sql, params),
    insert: (sql, ...params) => query('insert', 'Database.insert', 0, sql, params),
    transaction,
  });

  // --- Config -------------------------------------------------------------------------------------
  const itemNames = new Set(meta.items);
  let stored = meta.config; // what the platform holds
  const current = Object.assign(Object.create(null), stored); // what the app sees, its own edits included
  const edited = new Set();
  const changeHandlers = [];

  function refreshConfig(values) {
    stored = values;
    for (const name of keys(values)) {
      if (!edited.has(name)) current[name] = values[name];
    }
  }

  function noSuchItem(name) {
    return new TypeError("Config has no item '" + String(name) + "' (its items: " + ([...itemNames].join(', ') || 'none')
      + '); declare items in the manifest\'s config.init');
  }

  const configMethods = freeze({
    save() {
      const changes = {};
      for (const name of edited) changes[name] = current[name] === undefined ? null : current[name];
      edited.clear();
      const names = keys(changes);
      if (names.length === 0) return seedStyle(Promise.resolve());
      return operation(
        (op) => host.saveConfig(op, stringify(changes)),
        (json) => { refreshConfig(parse(json)); return undefined; },
        () => { for (const name of names) if (!edited.has(name)) current[name] = stored[name]; });
    },
    onchanged(fn) {
      requireFunction('Config.onchanged', fn);
      changeHandlers.push(fn);
    },
  });

  const Config = new Proxy(Object.create(null), {
    get(target, key) {
      if (typeof key !== 'string') return undefined;
      if (hasOwn(configMethods, key)) return configMethods[key];
      return itemNames.has(key) ? current[key] : undefined;
    },
    set(target, key, value) {
      if (typeof key !== 'string' || !itemNames.has(key)) throw noSuchItem(key);
      current[key] = value;
      edited.add(key);
      return true;
    },
    has(target, key) {
      return typeof key === 'string' && (itemNames.has(key) || hasOwn(configMethods, key));
    },
    ownKeys() {
      return [...itemNames];
    },
    getOwnPropertyDescriptor(target, key) {
      return typeof key === 'string' && itemNames.has(key)
        ? { value: current[key], writable: true, enumerable: true, configurable: true } : undefined;
    },
    defineProperty(target, key) {
      throw new TypeError('Config: assign an item (Config.' + String(key) + ' = value), then await Config.save()');
    },
    deleteProperty(target, key) {
      throw new TypeError('Config items cannot be deleted');
    },
    preventExtensions() { return false; },
    setPrototypeOf() { return false; },
  });

  function configChanged(valuesJson, namesJson) {
    refreshConfig(parse(valuesJson));
    const names = freeze(parse(namesJson));
    for (const fn of changeHandlers) guarded('Config.onchanged handler', fn, [names]);
  }

  // --- JsonApi: AppWebsocket messages, per API and session --------------------------------------
  const apis = new Map(); // name ('' for the unnamed one) → { name, handlers }
  const sessions = new Map(); // session id → { id, identity, links: Map(api name → link) }

  function label(api) {
    return api.name === '' ? 'JsonApi' : "JsonApi '" + api.name + "'";
  }

  class JsonApi {
    #api;

    constructor(name) {
      const apiName = name === undefined || name === null ? '' : String(name);
      if (apis.has(apiName)) {
        throw new Error((apiName === '' ? 'the unnamed JsonApi' : "JsonApi '" + apiName + "'") + ' exists already: create each API once');
      }
      this.#api = { name: apiName, handlers: [] };
      apis.set(apiName, this.#api);
      host.registerApi(apiName);
    }

    get name() {
      return this.#api.name;
    }

    onconnected(fn) {
      requireFunction(label(this.#api) + '.onconnected', fn);
      this.#api.handlers.push(fn);
      return this;
    }
  }

  /** The API's view of a session: created when it connects (or first uses an API made later). */
  function linkOf(session, api) {
    let link = session.links.get(api.name);
    if (link !== undefined) return link;
    const messageHandlers = [];
    const closeHandlers = [];
    let open = true;
    const conn = freeze({
      ...session.identity,
      onmessage(fn) {
        requireFunction('conn.onmessage', fn);
        messageHandlers.push(fn);
        return conn;
      },
      onclose(fn) {
        requireFunction('conn.onclose', fn);
        closeHandlers.push(fn);
        return conn;
      },
      send(message) {
        if (message === null || typeof message !== 'object' || isArray(message)) {
          throw new TypeError('conn.send: pass a message object, e.g. {mt: "SomethingResult"}');
        }
        if (!open) return false;
        const out = api.name !== '' && !hasOwn(message, 'api') ? { api: api.name, ...message } : message;
        return host.send(session.id, stringify(out));
      },
      close() {
        host.closeSession(session.id);
      },
    });
    link = { conn, messageHandlers, closeHandlers, close() { open = false; } };
    session.links.set(api.name, link);
    for (const fn of api.handlers) guarded(label(api) + ' onconnected handler', fn, [conn]);
    return link;
  }

  function connected(sessionId, identityJson) {
    const identity = parse(identityJson);
    identity.modes = freeze(identity.modes);
    const session = { id: sessionId, identity: freeze(identity), links: new Map() };
    sessions.set(sessionId, session);
    for (const api of apis.values()) linkOf(session, api);
  }

  function message(sessionId, apiName, json) {
    const session = sessions.get(sessionId);
    const api = apis.get(apiName);
    if (session === undefined || api === undefined) return;
    const link = linkOf(session, api);
    const msg = parse(json);
    for (const fn of link.messageHandlers) guarded(label(api) + ' onmessage handler', fn, [msg]);
  }

  function closed(sessionId) {
    const session = sessions.get(sessionId);
    if (session === undefined) return;
    sessions.delete(sessionId);
    for (const [name, link] of session.links) {
      link.close();
      for (const fn of link.closeHandlers) guarded(label(apis.get(name)) + ' onclose handler', fn, []);
    }
  }

  // --- WebServer ----------------------------------------------------------------------------------
  const routes = new Map(); // prefix → handler

  const WebServer = freeze({
    onrequest(prefix, fn) {
      if (typeof prefix !== 'string') {
        throw new TypeError('WebServer.onrequest: the first argument is the path prefix, e.g. "api/"');
      }
      requireFunction('WebServer.onrequest', fn);
      const key = prefix.replace(/^\/+/, '');
      if (routes.has(key)) throw new Error("WebServer.onrequest: '" + key + "' has a handler already");
      routes.set(key, fn);
      host.addRoute(key);
    },
  });

  const TEXT = 'text/plain; charset=utf-8';

  function request(requestId, prefix, json) {
    const handler = routes.get(prefix);
    const what = "WebServer handler for '" + prefix + "'";
    const data = parse(json);
    const req = freeze({
      method: data.method,
      path: data.path,
      query: freeze(data.query),
      headers: freeze(data.headers),
      body: data.body,
      json() { return parse(data.body); },
    });
    let result;
    try {
      result = handler(req);
    } catch (error) {
      failRequest(requestId, what, error);
      return;
    }
    Promise.resolve(result).then((response) => respond(requestId, what, response), (error) => failRequest(requestId, what, error));
  }

  function failRequest(requestId, what, error) {
    report(what, error);
    host.respond(requestId, 500, stringify({ 'content-type': TEXT }), 'service error: ' + shortMessage(error));
  }

  function respond(requestId, what, response) {
    try {
      const r = typeof response === 'string' ? { body: response } : response;
      if (r === null || typeof r !== 'object' || isArray(r)) {
        throw new TypeError('the handler ' + (r === undefined ? 'returned nothing' : 'returned ' + formatOne(r))
          + ': return (or resolve to) {status, headers, body}');
      }
      const status = r.status === undefined ? 200 : r.status;
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        throw new TypeError('status must be a whole number from 100 to 599, not ' + formatOne(status));
      }
      const headers = {};
      if (r.headers !== undefined && r.headers !== null) {
        if (typeof r.headers !== 'object') throw new TypeError('headers must be an object of name: value');
        for (const name of keys(r.headers)) {
          const value = String(r.headers[name]);
          if (LINE_BREAK.test(name) || LINE_BREAK.test(value)) throw new TypeError("header '" + name + "' holds a line break");
          headers[name.toLowerCase()] = value;
        }
      }
      let body = r.body;
      if (body === undefined || body === null) {
        body = '';
      } else if (typeof body === 'object') {
        body = stringify(body);
        if (!hasOwn(headers, 'content-type')) headers['content-type'] = 'application/json';
      } else {
        body = String(body);
        if (!hasOwn(headers, 'content-type')) headers['content-type'] = TEXT;
      }
      host.respond(requestId, status, stringify(headers), body);
    } catch (error) {
      failRequest(requestId, what, error);
    }
  }

  // --- Crypto -------------------------------------------------------------------------------------
  function algorithm(what, name) {
    const canonical = typeof name === 'string' ? name.toUpperCase().replace('-', '') : '';
    if (!ALGORITHMS.includes(canonical)) {
      throw new TypeError(what + ': unknown algorithm ' + formatOne(name) + ' (use SHA1, SHA256, SHA512 or MD5)');
    }
    return canonical;
  }
  function encoding(what, name) {
    if (name === undefined) return 'hex';
    if (!ENCODINGS.includes(name)) throw new TypeError(what + ': unknown encoding ' + formatOne(name) + ' (use "hex" or "base64")');
    return name;
  }
  function text(what, name, value) {
    if (typeof value !== 'string') throw new TypeError(what + ': ' + name + ' must be a string, got ' + formatOne(value));
    return value;
  }

  const Crypto = freeze({
    hash(alg, data, enc) {
      return host.hash(algorithm('Crypto.hash', alg), text('Crypto.hash', 'data', data), encoding('Crypto.hash', enc));
    },
    hmac(alg, key, data, enc) {
      return host.hmac(algorithm('Crypto.hmac', alg), text('Crypto.hmac', 'key', key), text('Crypto.hmac', 'data', data),
        encoding('Crypto.hmac', enc));
    },
    randomUUID() {
      return host.randomUUID();
    },
    randomBytes(count) {
      if (!Number.isInteger(count) || count < 1 || count > MAX_RANDOM_BYTES) {
        throw new RangeError('Crypto.randomBytes: the count must be a whole number from 1 to ' + MAX_RANDOM_BYTES);
      }
      return host.randomBytes(count);
    },
  });

  // --- the globals, and the lockdown ------------------------------------------------------------
  const globals = {
    log, console,
    setTimeout: (fn, ms, ...args) => pending.addTimer('setTimeout', fn, ms, args, false),
    setInterval: (fn, ms, ...args) => pending.addTimer('setInterval', fn, ms, args, true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    Database, Config, JsonApi, WebServer, Crypto,
  };
  // Everything frozen before the app's files run, the library's own globals too; Config aside: a Proxy whose
  // target nothing reaches, and which refuses to be frozen (its items change).
  kernel.lockdown(keys(globals).filter((name) => name !== 'Config').map((name) => globals[name]));
  // Configurable, like a browser's globals: an app may shadow one with its own declaration.
  for (const name of keys(globals)) {
    defineProperty(globalThis, name, { value: globals[name], writable: true, enumerable: false, configurable: true });
  }

  return freeze({ connected, message, closed, request, fireTimer, settle, configChanged });
})
