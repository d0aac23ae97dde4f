// What every sandbox library shares (runtime.js for Scripts, app-service.js for Apps). Evaluated first
// in each context, before any library or user code: it removes the globals no sandbox offers, and
// returns how a console value is written. Evaluated as an expression: a function of no arguments.
(function () {
  'use strict';
  const stringify = JSON.stringify;

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

  return Object.freeze({ formatOne });
})
