// The Node core modules bundled npm modules may require, built once per context on first use.
// Evaluated as a function of the runtime's bridge (host HTTP, hashes, random) and the timer globals.
// Only bundles reach this: a Script's own require() never resolves these names.
'use strict';
const unavailable = require('./unavailable');

const NO_FS = 'Scripts have no file system';
const NO_PROCESSES = 'Scripts cannot start processes or threads';
const NO_SOCKETS = 'Scripts reach the network only through the host clients (http, https, fetch, net)';

module.exports = function nodeShims(bridge, timers) {
  const web = require('./web');
  const makers = {
    buffer: () => require('buffer/'),
    events: () => require('events/'),
    stream: () => require('stream-browserify'),
    string_decoder: () => require('string_decoder/'),
    util: () => Object.assign({}, require('util/'), { TextEncoder: web.TextEncoder, TextDecoder: web.TextDecoder }),
    url: () => Object.assign({}, require('url/'), {
      URL: web.URL, URLSearchParams: web.URLSearchParams,
      fileURLToPath: () => { throw new Error('url.fileURLToPath: ' + NO_FS); },
      pathToFileURL: () => { throw new Error('url.pathToFileURL: ' + NO_FS); },
    }),
    path: () => require('path-browserify'),
    querystring: () => require('querystring-es3'),
    punycode: () => require('punycode/'),
    assert: () => require('assert/'),
    process: () => require('./process'),
    timers: () => Object.freeze(Object.assign({}, timers)),
    os: () => Object.freeze({ EOL: '\n', platform: () => 'linux', type: () => 'Linux', arch: () => 'x64', release: () => '', hostname: () => 'sandbox', tmpdir: () => '/tmp', homedir: () => '/', cpus: () => [], totalmem: () => 0, freemem: () => 0, endianness: () => 'LE', networkInterfaces: () => ({}), constants: Object.freeze({ signals: {}, errno: {} }) }),
    constants: () => Object.freeze({}),
    tty: () => Object.freeze({ isatty: () => false }),
    perf_hooks: () => Object.freeze({ performance: Object.freeze({ now: () => Date.now(), timeOrigin: 0 }) }),
    crypto: () => require('./crypto')(bridge),
    http: () => require('./http')('http:', bridge),
    https: () => require('./http')('https:', bridge),
    'scriptforge:web': () => web,
    'scriptforge:fetch': () => require('./fetch')(bridge, web.URL),
    zlib: () => unavailable('zlib', 'compression is not offered; the host HTTP client decompresses answers itself'),
    fs: () => unavailable('fs', NO_FS),
    'fs/promises': () => unavailable('fs/promises', NO_FS),
    child_process: () => unavailable('child_process', NO_PROCESSES),
    worker_threads: () => unavailable('worker_threads', NO_PROCESSES),
    cluster: () => unavailable('cluster', NO_PROCESSES),
    vm: () => unavailable('vm', 'Scripts cannot compile code in new contexts'),
    net: () => require('./net')(bridge),
    tls: () => unavailable('tls', NO_SOCKETS),
    dgram: () => unavailable('dgram', NO_SOCKETS),
    dns: () => unavailable('dns', NO_SOCKETS),
    http2: () => unavailable('http2', NO_SOCKETS),
    domain: () => unavailable('domain', 'deprecated in Node and not offered'),
  };
  const cache = new Map();
  return function load(name) {
    const key = name.startsWith('node:') ? name.slice(5) : name;
    if (cache.has(key)) return cache.get(key);
    const make = makers[key];
    if (make === undefined) return undefined;
    const value = make();
    cache.set(key, value);
    return value;
  };
};
