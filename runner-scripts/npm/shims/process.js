// The `process` a bundled module sees: never the host's, never the Script's env. Only what libraries
// probe (NODE_ENV, version, platform, nextTick) so they take their Node code paths.
'use strict';
const nextTick = (fn, ...args) => { Promise.resolve().then(() => fn(...args)); };
const version = 'v20.0.0';
// Libraries (debug) probe the standard streams; what they write there goes nowhere: Scripts log with console.
const stream = (fd) => Object.freeze({ fd, isTTY: false, writable: true, write: () => true, on() { return this; }, once() { return this; } });
module.exports = Object.freeze({
  env: Object.freeze({ NODE_ENV: 'production' }),
  argv: Object.freeze([]),
  version,
  versions: Object.freeze({ node: version.slice(1) }),
  platform: 'linux',
  arch: 'x64',
  release: Object.freeze({ name: 'node' }),
  browser: false,
  pid: 1,
  stdout: stream(1),
  stderr: stream(2),
  title: 'scriptforge',
  nextTick,
  cwd: () => '/',
  uptime: () => 0,
  hrtime: Object.assign((prev) => {
    const ns = Math.round(Date.now() * 1e6);
    const t = [Math.floor(ns / 1e9), ns % 1e9];
    return prev ? [t[0] - prev[0], t[1] - prev[1]] : t;
  }, { bigint: () => BigInt(Date.now()) * 1000000n }),
  memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0 }),
  emitWarning: () => {},
  on() { return this; }, once() { return this; }, off() { return this; }, removeListener() { return this; }, listeners: () => [], emit: () => false,
  [Symbol.toStringTag]: 'process', // axios picks its Node adapter when Object.prototype.toString says so
  binding: (name) => { throw new Error('process.binding(' + name + ') is not available in the ScriptForge sandbox'); },
});
