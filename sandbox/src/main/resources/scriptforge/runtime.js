// The runtime of a Script's context, on the sandbox kernel (sandbox-kernel.js). It runs once per context, before
// any user code: it builds the only globals a script gets (console, process, kv, jobs, timers for async types),
// locks the context down (every built-in frozen, in every kind of Script context), and returns the functions the
// host calls. Evaluated as an expression: a function of (host, metaJson, kernel) returning the runtime object.
(function (host, metaJson, kernel) {
  'use strict';
  const meta = JSON.parse(metaJson);
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, freeze, isExtensible } = Object;
  const ownKeys = Reflect.ownKeys;
  const hasOwn = Object.hasOwn;
  const is = Object.is;
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const isArray = Array.isArray;
  const SIP_FORM = /^([1-6][0-9]{2}) ([^\s][^\r\n]*)$/; // a reason travels in a header: one line
  const MAX_TIMERS = 10000;
  const EMPTY_MATCH = /(?:)/; // running it clears RegExp.$1, lastMatch, input: the legacy statics
  const SCRIPT_FILE = /\/?((?:[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*\.m?js)$/; // a Script's file in a stack frame

  // The globals no sandbox offers are gone already: the kernel ran before this.

  // --- console: lines go to the script's log ring buffer with the invocation id ----------------
  const { formatOne } = kernel;
  const pending = kernel.scheduler(host, MAX_TIMERS, MAX_TIMERS); // timers and host operations of the invocation
  function logger(level) {
    return function (...args) { host.log(level, args.map(formatOne).join(' ')); };
  }
  const console = freeze({
    log: logger('log'), info: logger('info'), warn: logger('warn'), error: logger('error'), debug: logger('debug'),
  });

  const process = freeze({ env: freeze(Object.assign(Object.create(null), meta.env)) });

  // --- pending host operations (app and worker): an HTTP request in flight keeps the invocation alive
  // like a timer does; the host delivers its answer on this context's thread (completeOp).
  function startHostOp(start, callback) {
    if (active === null) throw new Error('no invocation is running: host operations need one');
    const id = pending.startOperation('HTTP requests and connections', callback, start);
    return () => { if (pending.forget(id)) host.cancelOp(id); };
  }
  // What the Node core shims of the npm bundles may ask of the host: nothing else of `host` reaches them.
  const shimBridge = freeze({
    request(spec, bodyBase64, callback) {
      return startHostOp((id) => host.httpRequest(id, stringify(spec), bodyBase64), callback);
    },
    // A TCP connection: onEvent gets {type: connect|data|end|error|close, data, detail, code}, close last.
    connect(hostName, port, onEvent) {
      let opId = 0;
      const cancel = startHostOp((id) => { opId = id; host.socketConnect(id, String(hostName), Number(port) | 0); }, (error, event) => onEvent(event));
      return freeze({
        write: (dataBase64) => host.socketWrite(opId, String(dataBase64)),
        end: () => host.socketWrite(opId, null),
        destroy: cancel,
      });
    },
    digest: (algorithm, dataBase64) => host.digest(algorithm, dataBase64),
    hmac: (algorithm, keyBase64, dataBase64) => host.hmac(algorithm, keyBase64, dataBase64),
    random: (count) => host.random(count),
  });

  // --- timers (app and worker): the host schedules, the sandbox keeps the callbacks ------------
  const clearTimer = (id) => pending.clearTimer(id);
  const timerGlobals = {
    setTimeout: (fn, ms, ...args) => pending.addTimer('setTimeout', fn, ms, args, false),
    setInterval: (fn, ms, ...args) => pending.addTimer('setInterval', fn, ms, args, true),
    setImmediate: (fn, ...args) => pending.addTimer('setImmediate', fn, 0, args, false),
    clearTimeout: clearTimer, clearInterval: clearTimer, clearImmediate: clearTimer,
  };

  // --- kv: the namespace's key-value store (PostgreSQL), synchronous: each call blocks until stored
  function kvKey(op, key) {
    if (typeof key !== 'string') throw new TypeError('kv.' + op + '() takes a key string');
    return key;
  }
  // The host answers JSON, or null for nothing (a missing key); it throws what it refuses.
  function kvCall(op, key, arg, ttlMillis) {
    const json = host.kv(op, key, arg, ttlMillis);
    return json === null ? undefined : parse(json);
  }
  const kv = freeze({
    get(key) { return kvCall('get', kvKey('get', key), null, null); },
    set(key, value, options) {
      kvKey('set', key);
      const json = stringify(value);
      if (json === undefined) throw new TypeError('kv.set(): a ' + typeof value + ' has no JSON form');
      let ttlMillis = null;
      const ttl = options === undefined || options === null ? undefined : options.ttl;
      if (ttl !== undefined && ttl !== null) {
        if (typeof ttl !== 'number' || !(ttl > 0) || !Number.isFinite(ttl)) throw new TypeError('kv.set(): ttl is a positive number of seconds');
        ttlMillis = Math.min(Math.max(1, Math.round(ttl * 1000)), Number.MAX_SAFE_INTEGER);
      }
      kvCall('set', key, json, ttlMillis);
    },
    incr(key, by) {
      kvKey('incr', key);
      const amount = by === undefined ? 1 : by;
      if (!Number.isSafeInteger(amount)) throw new TypeError('kv.incr(): the amount must be a safe integer');
      return kvCall('incr', key, String(amount), null);
    },
    delete(key) { return kvCall('delete', kvKey('delete', key), null, null); },
    keys(prefix) {
      const p = prefix === undefined || prefix === null ? '' : prefix;
      if (typeof p !== 'string') throw new TypeError('kv.keys() takes a prefix string');
      return kvCall('keys', null, p, null);
    },
  });

  // --- jobs: background jobs of the namespace (PostgreSQL). enqueue, get and progress block until
  // stored; result() polls get() on the runtime's own timers, so it needs an async type (app, worker).
  const JOB_POLL_MS = 100;
  function jobsCall(op, args) {
    const json = host.jobs(op, stringify(args));
    return json === null ? undefined : parse(json);
  }
  function jobId(op, id) {
    if (typeof id !== 'string') throw new TypeError('jobs.' + op + '() takes a job id string');
    return id;
  }
  function jobFailure(job) {
    const e = job.error || {};
    const error = new Error(job.state === 'cancelled' ? 'job ' + job.id + ' was cancelled'
      : 'job ' + job.id + ' failed after ' + job.attempts + ' attempt(s): ' + (e.message || e.reason || 'no message'));
    error.jobId = job.id;
    error.state = job.state;
    error.code = e.code;
    error.reason = e.reason;
    return error;
  }
  const jobs = freeze({
    enqueue(target, data, options) {
      if (typeof target !== 'string' || target === '') throw new TypeError('jobs.enqueue() takes a Script name or uuid string');
      if (data !== undefined && stringify(data) === undefined) throw new TypeError('jobs.enqueue(): a ' + typeof data + ' has no JSON form');
      const args = { target, data: data === undefined ? null : data };
      const o = options === undefined || options === null ? {} : options;
      for (const key of ['attempts', 'delay', 'backoff']) {
        if (o[key] === undefined) continue;
        if (!Number.isSafeInteger(o[key])) throw new TypeError('jobs.enqueue(): ' + key + ' must be an integer (attempts: 1-25, delay and backoff: ms)');
        args[key] = o[key];
      }
      return jobsCall('enqueue', args);
    },
    get(id) { return jobsCall('get', { id: jobId('get', id) }); },
    progress(value) {
      if (stringify(value) === undefined) throw new TypeError('jobs.progress(): a ' + typeof value + ' has no JSON form');
      return jobsCall('progress', { value });
    },
    result(id, options) {
      jobId('result', id);
      if (!meta.async) throw new TypeError("jobs.result() waits, and type 'script' is synchronous: use jobs.get(id), or type 'app'");
      const timeout = options === undefined || options === null || options.timeout === undefined ? 30000 : options.timeout;
      if (typeof timeout !== 'number' || !(timeout >= 0)) throw new TypeError('jobs.result(): timeout is a number of ms');
      const until = Date.now() + timeout;
      return new Promise((resolve, reject) => {
        const check = () => {
          let job;
          try { job = jobsCall('get', { id }); } catch (e) { reject(e); return; }
          if (job === undefined) reject(new Error('jobs.result(): no job ' + id + " in namespace '" + meta.namespace + "'"));
          else if (job.state === 'completed') resolve(job.result);
          else if (job.state === 'failed' || job.state === 'cancelled') reject(jobFailure(job));
          else if (Date.now() >= until) reject(new Error('jobs.result(): job ' + id + ' is still ' + job.state + ' after ' + timeout + ' ms'));
          else pending.addTimer('jobs.result', check, JOB_POLL_MS, [], false);
        };
        check();
      });
    },
  });

  defineProperty(globalThis, 'jobs', { value: jobs, writable: true, enumerable: false, configurable: true });
  defineProperty(globalThis, 'kv', { value: kv, writable: true, enumerable: false, configurable: true });
  defineProperty(globalThis, 'console', { value: console, writable: true, enumerable: false, configurable: true });
  defineProperty(globalThis, 'process', { value: process, writable: true, enumerable: false, configurable: true });
  if (meta.async) {
    // What `import x from 'moment'` in an ES module Script compiles to (SandboxContext.npmModuleSource):
    // the npm loader a CommonJS Script reaches through require, nothing more.
    defineProperty(globalThis, Symbol.for('scriptforge.npm'), {
      value: freeze(function npm(name) {
        const library = loadNpm(String(name));
        if (library === undefined) throw new Error("module not allowed: '" + name + "' is not a whitelisted module");
        return library;
      }),
      writable: false, enumerable: false, configurable: false,
    });
    // fetch (WHATWG) over the host HTTP client: the shims load on its first call.
    defineProperty(globalThis, 'fetch', {
      value: function fetch(input, init) { return nodeShimsLoader()('scriptforge:fetch').fetch(input, init); },
      writable: true, enumerable: false, configurable: true,
    });
    for (const name of ownKeys(timerGlobals)) {
      defineProperty(globalThis, name, { value: timerGlobals[name], writable: true, enumerable: false, configurable: true });
    }
  }

  // --- lockdown: every built-in and every global above frozen, before any user code, in every kind of context.
  // A reused context also makes the global object's baseline properties non-configurable (the object stays
  // extensible: scripts may create globals during an invocation), so resetGlobals() only has values to compare.
  const baselineKeys = ownKeys(globalThis);
  kernel.lockdown([]);
  if (!meta.singleUse) {
    for (const key of baselineKeys) {
      const desc = getOwnPropertyDescriptor(globalThis, key);
      if ('value' in desc && desc.configurable) defineProperty(globalThis, key, { configurable: false });
    }
  }
  const baselineProto = getPrototypeOf(globalThis);
  const baselineSet = new Set(baselineKeys);
  const baselineValues = baselineKeys.map((k) => globalThis[k]);

  function resetGlobals() {
    if (meta.singleUse) return; // the context is discarded after this invocation
    EMPTY_MATCH.exec('');
    let clean = isExtensible(globalThis) && getPrototypeOf(globalThis) === baselineProto;
    const keys = ownKeys(globalThis);
    if (keys.length !== baselineKeys.length) {
      for (const key of keys) {
        if (baselineSet.has(key)) continue;
        try { delete globalThis[key]; } catch (e) { clean = false; }
      }
    }
    for (let i = 0; i < baselineKeys.length; i++) {
      const key = baselineKeys[i];
      if (!is(globalThis[key], baselineValues[i])) {
        try { globalThis[key] = baselineValues[i]; } catch (e) { clean = false; }
        if (!is(globalThis[key], baselineValues[i])) clean = false;
      }
    }
    if (!clean) host.taint();
  }

  // --- npm modules (app and worker): bundled at build time, evaluated in this context on first require.
  // Each bundle gets its own require, which resolves Node core modules to the shims and whitelisted
  // peers to their bundles; a Script's require never reaches the shims.
  const npmModules = new Map(); // bundle function -> its module object, for the context's lifetime
  let nodeShims = null;
  function loadNpm(specifier) {
    const factory = host.npm(specifier);
    if (typeof factory === 'string') throw new Error(factory);
    if (factory === null || factory === undefined) return undefined;
    return evaluateBundle(factory, specifier);
  }
  function evaluateBundle(factory, name) {
    const cached = npmModules.get(factory);
    if (cached !== undefined) return cached.exports;
    const module = { exports: {}, id: name };
    npmModules.set(factory, module);
    try {
      factory.call(module.exports, module.exports, bundleRequire, module, '/node_modules/' + name + '/index.js', '/node_modules/' + name);
    } catch (e) {
      npmModules.delete(factory);
      throw e;
    }
    return module.exports;
  }
  function nodeShimsLoader() {
    if (nodeShims === null) nodeShims = evaluateBundle(host.nodeShims(), 'node-shims')(shimBridge, timerGlobals);
    return nodeShims;
  }
  function bundleRequire(specifier) {
    const core = nodeShimsLoader()(String(specifier));
    if (core !== undefined) return core;
    const library = loadNpm(String(specifier));
    if (library !== undefined) return library;
    const error = new Error("Cannot find module '" + specifier + "' (not bundled in the ScriptForge sandbox)");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }

  // --- modules: require('name') loads the Script named `name` of the same namespace ------------
  function makeRequire(cache, fromName) {
    return function require(specifier) {
      if (typeof specifier !== 'string') throw new TypeError('require() takes a module name string');
      const name = specifier.startsWith('./') ? specifier.slice(2).replace(/\.m?js$/, '') : specifier;
      if (hasOwn(cache, name)) return cache[name].exports;
      const factory = host.module(name);
      if (typeof factory === 'string') throw new Error("module '" + name + "' failed to load: " + factory);
      if ((factory === null || factory === undefined) && meta.async) {
        const library = loadNpm(specifier);
        if (library !== undefined) return library;
      }
      if (factory === null || factory === undefined) {
        if (!meta.async) {
          throw new Error("Cannot find module '" + specifier + "': no Script named '" + name + "' in namespace '" + meta.namespace + "' (type 'script' cannot use library modules; use type 'app')");
        }
        throw new Error("module not allowed: '" + specifier + "' is neither a Script in namespace '" + meta.namespace + "' nor a whitelisted module");
      }
      const module = { exports: {}, id: name };
      cache[name] = module;
      try {
        factory.call(module.exports, module.exports, makeRequire(cache, name), module, meta.namespace + '/' + name + '.js', meta.namespace);
      } catch (e) {
        delete cache[name];
        throw e;
      }
      return module.exports;
    };
  }

  // --- one invocation ---------------------------------------------------------------------------
  let factory = null; // the compiled module body of this context's script: called anew per invocation
  let moduleNamespace = null; // ES modules: the evaluated module's exports
  let workerMain = null; // worker: the module body ran once, its main is kept
  let active = null; // the invocation in flight: { id, settled }

  function mainOf(exported) {
    return exported && typeof exported.main === 'function' ? exported.main
      : typeof exported === 'function' ? exported
        : exported && exported.default && typeof exported.default === 'function' ? exported.default
          : exported && exported.default && typeof exported.default.main === 'function' ? exported.default.main : null;
  }

  function instantiate() {
    if (moduleNamespace !== null) {
      const main = mainOf(moduleNamespace);
      if (main === null) throw new Error('the module exports no main function: export function main(data, ctx)');
      return main;
    }
    const module = { exports: {}, id: meta.name };
    const cache = { [meta.name]: module };
    const localMain = factory.call(module.exports, module.exports, makeRequire(cache, meta.name), module, meta.namespace + '/' + meta.name + '.js', meta.namespace);
    const main = typeof localMain === 'function' ? localMain : mainOf(module.exports);
    if (main === null) {
      throw new Error("the script has no main function: declare `function main(data, ctx)` or export one (module.exports = { main })");
    }
    return main;
  }

  function errorFrame(error) {
    const frame = kernel.frameOf(error, (file) => SCRIPT_FILE.test(file));
    if (frame === null) return null;
    const file = SCRIPT_FILE.exec(frame.file)[1];
    const column = frame.line === 1 ? Math.max(1, frame.column - meta.prefixLength) : frame.column;
    return { file: file.includes('/') ? file : meta.namespace + '/' + file, line: frame.line, column };
  }

  function encodeError(error) {
    let status = null;
    if (isArray(error) && Number.isInteger(error[0]) && error[0] >= 100 && error[0] <= 699) {
      status = { code: error[0], reason: error.length > 1 ? String(error[1]).replace(/[\r\n]+/g, ' ') : '' };
    } else {
      const text = typeof error === 'string' ? error : (error && typeof error.message === 'string' ? error.message : null);
      const m = text === null ? null : SIP_FORM.exec(text);
      if (m) status = { code: Number(m[1]), reason: m[2] };
    }
    if (status) return 'E' + stringify({ sip: true, code: status.code, reason: status.reason });
    const name = error && typeof error.name === 'string' ? error.name : 'Error';
    const message = error instanceof Error || (error && typeof error.message === 'string') ? error.message : formatOne(error);
    const where = errorFrame(error);
    return 'E' + stringify({ sip: false, name, message: String(message), where });
  }

  function encodeValue(value) {
    if (value === undefined) return 'U';
    if (typeof value === 'string') return 'S' + value;
    const json = stringify(value);
    if (json === undefined) throw new TypeError('main returned a ' + typeof value + ', which has no JSON form');
    return 'J' + json;
  }

  function settle(invocation, encoded) {
    if (invocation.settled) return;
    invocation.settled = true;
    pending.clear();
    active = null;
    host.done(invocation.id, encoded);
  }

  function makeData(varsJson, bodyJson) {
    const vars = varsJson === null ? undefined : parse(varsJson);
    if (bodyJson === null) return vars === undefined ? {} : vars;
    const body = parse(bodyJson);
    const isObject = (v) => v !== null && typeof v === 'object' && !isArray(v);
    if (!(isObject(vars) && isObject(body))) return body;
    for (const key of Object.keys(body)) { // defineProperty: a "__proto__" key stays a plain key
      defineProperty(vars, key, { value: body[key], writable: true, enumerable: true, configurable: true });
    }
    return vars;
  }

  function invoke(id, varsJson, bodyJson, ctxJson) {
    const invocation = { id, settled: false };
    active = invocation;
    let result;
    try {
      const data = makeData(varsJson, bodyJson);
      const ctx = freeze(Object.assign(parse(ctxJson), { log: console }));
      let main;
      if (meta.keepsState) {
        if (workerMain === null) workerMain = instantiate();
        main = workerMain;
      } else {
        main = instantiate();
      }
      result = main(data, ctx);
    } catch (error) {
      settle(invocation, encodeError(error));
      return;
    }
    if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
      if (!meta.async) {
        settle(invocation, encodeError(new TypeError("main returned a Promise, but type 'script' is synchronous: return a value, or use type 'app' for async code")));
        return;
      }
      Promise.resolve(result).then(
        (value) => { try { settle(invocation, encodeValue(value)); } catch (e) { settle(invocation, encodeError(e)); } },
        (error) => settle(invocation, encodeError(error)));
      return;
    }
    try {
      settle(invocation, encodeValue(result));
    } catch (e) {
      settle(invocation, encodeError(e));
    }
  }

  function fireTimer(timerId) {
    if (active === null) return;
    const timer = pending.due(timerId);
    if (timer === undefined) return;
    try {
      timer.fn(...timer.args);
    } catch (error) {
      settle(active, encodeError(error));
    }
  }

  function completeOp(opId, errorJson, answerJson, last) {
    if (active === null) return;
    const callback = pending.operation(opId, last);
    if (callback === undefined) return;
    try {
      callback(errorJson === null ? null : parse(errorJson), answerJson === null ? null : parse(answerJson));
    } catch (error) {
      settle(active, encodeError(error));
    }
  }

  // Called by the host after every invocation, once no JavaScript of it can run any more (promise
  // jobs run until the host call returns): it ends one that did not settle, and resets the globals.
  function finish() {
    if (active !== null) active.settled = true;
    active = null;
    pending.clear();
    if (!meta.keepsState) resetGlobals();
  }

  return freeze({
    setFactory(f) { factory = f; },
    setModule(namespace) { moduleNamespace = namespace; },
    invoke, fireTimer, completeOp, finish,
  });
})
