// The sandbox kernel: what every kind of context is built on (runtime.js for Scripts, app-service.js for Apps).
// Evaluated first in each context, before any library or user code: it removes the globals no sandbox offers,
// and returns the one lockdown, the one timer and host-operation model and the one error-frame mapping the
// libraries share. Evaluated as an expression: a function of no arguments.
(function () {
  'use strict';
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, freeze } = Object;
  const ownKeys = Reflect.ownKeys;
  const hasOwn = Object.hasOwn;
  const stringify = JSON.stringify;
  const floor = Math.floor;

  for (const name of ['load', 'loadWithNewGlobal', 'print', 'printErr', 'Graal', 'Polyglot', 'Java', 'Packages',
    'quit', 'exit', 'read', 'readbuffer', 'readline', 'console', 'SharedArrayBuffer', 'Atomics', 'WebAssembly']) {
    try { delete globalThis[name]; } catch (e) { /* non-configurable: the engine options turned it off already */ }
  }

  /** One console argument as text: strings as they are, errors with their stack, the rest as JSON where it can. */
  function formatOne(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return value.stack || String(value);
    if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
    if (typeof value === 'bigint') return value + 'n';
    if (typeof value === 'symbol' || value === undefined) return String(value);
    try { return stringify(value) ?? String(value); } catch (e) { return String(value); }
  }

  // --- lockdown: freeze every intrinsic (Hardened JavaScript's "lockdown"), keep "override by assignment" ----
  // Without it, user code that replaced a built-in (Function.prototype.call, Map.prototype.get, a setter on
  // Object.prototype...) would be handed whatever the libraries pass through it: their internals. Freezing makes
  // `MyError.prototype.name = 'x'` fail (the "override mistake"), so the commonly overridden data properties
  // become accessors whose setter defines an own property instead.
  const OVERRIDABLE = new Set(['constructor', 'name', 'message', 'toString', 'valueOf', 'toLocaleString', 'toJSON']);
  // Every method of %TypedArray%.prototype too: Node's Buffer (the npm bundles' polyfill) subclasses
  // Uint8Array and assigns its own includes, indexOf, slice, fill... onto Buffer.prototype.
  const OVERRIDE_ALL = new Set([getPrototypeOf(Uint8Array.prototype)]);
  function enableOverride(obj, key) {
    const desc = getOwnPropertyDescriptor(obj, key);
    if (!desc || !('value' in desc) || !desc.configurable) return;
    const value = desc.value;
    defineProperty(obj, key, {
      get() { return value; },
      set(newValue) {
        if (this === obj) throw new TypeError("Cannot assign to read only property '" + String(key) + "' of a frozen built-in");
        if (hasOwn(this, key)) { this[key] = newValue; return; }
        defineProperty(this, key, { value: newValue, writable: true, enumerable: true, configurable: true });
      },
      enumerable: desc.enumerable, configurable: false,
    });
  }
  const optional = (make) => { try { return make(); } catch (e) { return undefined; } };
  /** The intrinsics no global names: reachable only through the objects that have them as prototype. */
  function hiddenIntrinsics() {
    return [
      optional(() => getPrototypeOf([].values().map((x) => x))), // %IteratorHelperPrototype%
      optional(() => getPrototypeOf(Iterator.from({ next() { return { done: true }; } }))), // %WrapForValidIteratorPrototype%
      optional(() => getPrototypeOf(new Intl.Segmenter().segment('a'))), // %SegmentsPrototype%
      optional(() => getPrototypeOf(new Intl.Segmenter().segment('a')[Symbol.iterator]())), // %SegmentIteratorPrototype%
      optional(() => getPrototypeOf((async function* () {})()[Symbol.asyncIterator]())),
      getPrototypeOf(function* () {}), getPrototypeOf(async function () {}), getPrototypeOf(async function* () {}),
      getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(new Map()[Symbol.iterator]()),
      getPrototypeOf(new Set()[Symbol.iterator]()), getPrototypeOf(''[Symbol.iterator]()),
      getPrototypeOf('a'.matchAll(/a/g)), getPrototypeOf(Uint8Array), getPrototypeOf(getPrototypeOf([][Symbol.iterator]())),
      getOwnPropertyDescriptor((function () { 'use strict'; return arguments; })(), 'callee').get,
    ];
  }
  /** Freezes {@code roots} and everything reachable from them (properties, accessors, prototypes), the global object aside. */
  function harden(roots) {
    const seen = new Set();
    const stack = [...roots];
    while (stack.length) {
      const obj = stack.pop();
      if ((typeof obj !== 'object' && typeof obj !== 'function') || obj === null || seen.has(obj) || obj === globalThis) continue;
      seen.add(obj);
      const proto = getPrototypeOf(obj);
      const isPrototypeObject = obj === Object.prototype || obj === Function.prototype ||
        (hasOwn(obj, 'constructor') && typeof obj.constructor === 'function' && obj.constructor.prototype === obj);
      for (const key of ownKeys(obj)) {
        if (isPrototypeObject && (obj === Object.prototype || OVERRIDE_ALL.has(obj) || OVERRIDABLE.has(key))) enableOverride(obj, key);
        const desc = getOwnPropertyDescriptor(obj, key);
        if (!desc) continue;
        if ('value' in desc) stack.push(desc.value); else { stack.push(desc.get); stack.push(desc.set); }
      }
      stack.push(proto);
      freeze(obj);
    }
  }
  // The built-in globals (ECMAScript's, and GraalJS' own that stay): the global object's properties before any
  // library adds its own.
  const intrinsicNames = ownKeys(globalThis);
  /**
   * Freezes every built-in, the hidden intrinsics and {@code more} (a library's own objects), and pins the
   * built-in globals (neither writable nor configurable): after this, no user code can change what a library
   * calls, directly or through a global it looks up later (a bundle evaluated on first use, a Promise made per
   * call). The global object stays extensible: user code may add globals of its own. Call it before any user code.
   */
  function lockdown(more) {
    harden([...ownKeys(globalThis).map((k) => getOwnPropertyDescriptor(globalThis, k).value), ...hiddenIntrinsics(), ...more]);
    for (const key of intrinsicNames) {
      const desc = getOwnPropertyDescriptor(globalThis, key);
      if (desc && desc.configurable) defineProperty(globalThis, key, 'value' in desc ? { writable: false, configurable: false } : { configurable: false });
    }
  }

  // --- timers and host operations: the host keeps the clock and does the work, the context keeps the callbacks
  const MAX_DELAY = 2147483647; // what fits a signed 32-bit count of milliseconds, as in browsers and Node
  /**
   * The pending work of one context: timers (the host calls back when one is due) and host operations (a
   * query, an HTTP request: the host calls back with their outcome). Ids are unique across both, so the host
   * may keep them in one place. At most {@code maxTimers} timers and {@code maxOperations} operations.
   */
  function scheduler(host, maxTimers, maxOperations) {
    const timers = new Map(); // id -> { fn, args, repeat: delay or -1 }
    const operations = new Map(); // id -> what the library gave: a callback, a promise's settlers
    let nextId = 1;
    return freeze({
      /** Asks the host for a timer; the delay is whole milliseconds, 0 to 2^31-1 (anything else: the nearest). */
      addTimer(what, fn, ms, args, repeat) {
        if (typeof fn !== 'function') throw new TypeError(what + ': pass a function, got ' + formatOne(fn));
        if (timers.size >= maxTimers) throw new RangeError(what + ': too many pending timers (at most ' + maxTimers + ')');
        const whole = floor(Number(ms));
        const delay = whole >= 0 ? (whole > MAX_DELAY ? MAX_DELAY : whole) : 0;
        const id = nextId++;
        timers.set(id, { fn, args, repeat: repeat ? delay : -1 });
        host.setTimer(id, delay);
        return id;
      },
      clearTimer(id) {
        if (timers.delete(id)) host.clearTimer(id);
      },
      /** The timer that is due now, re-armed if it repeats; undefined when it was cleared meanwhile. */
      due(id) {
        const timer = timers.get(id);
        if (timer === undefined) return undefined;
        if (timer.repeat < 0) timers.delete(id); else host.setTimer(id, timer.repeat);
        return timer;
      },
      /** Starts a host operation: start(id) asks the host, which later answers with that id; returns the id. */
      startOperation(what, handler, start) {
        if (operations.size >= maxOperations) {
          throw new RangeError('too many ' + what + ' waiting for their result (at most ' + maxOperations + '): await some before starting more');
        }
        const id = nextId++;
        operations.set(id, handler);
        try {
          start(id);
        } catch (error) {
          operations.delete(id);
          throw error;
        }
        return id;
      },
      /** The handler of operation {@code id}, which stays pending unless {@code last}; undefined when it is not. */
      operation(id, last) {
        const handler = operations.get(id);
        if (last) operations.delete(id);
        return handler;
      },
      /** Forgets an operation (cancelled): true when it was pending. */
      forget(id) {
        return operations.delete(id);
      },
      /** Forgets everything pending: the host drops it too. */
      clear() {
        timers.clear();
        operations.clear();
      },
    });
  }

  // --- error frames: where in the user's files an error was thrown --------------------------------------------
  // "    at fn (ns/a.js:3:9)", "    at ns/a.js:3:9", "    at async fn (/ns/a.mjs:1:20)"
  const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;
  /** The first frame of {@code error}'s stack whose file {@code accept(file)} takes: {file, line, column}, or null. */
  function frameOf(error, accept) {
    const stack = error !== null && typeof error === 'object' && typeof error.stack === 'string' ? error.stack : '';
    for (const line of stack.split('\n')) {
      const m = FRAME.exec(line);
      if (m && accept(m[1])) return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
    }
    return null;
  }

  // --- host errors: the host bridge (HostBridge.java) throws what this builds, at the host function's call -----
  /** The Error a host function throws: a TypeError for a call that does not fit its declaration, else an Error. */
  function hostError(kind, message) {
    return kind === 'TypeError' ? new TypeError(message) : new Error(message);
  }

  return freeze({ formatOne, lockdown, scheduler, frameOf, hostError });
})
