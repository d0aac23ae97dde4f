#!/usr/bin/env node
// The Node.js peer of the ScriptForge benchmark: the same functions (bench/functions/*.js),
// run with node:vm behind a plain `http` server, with the same HTTP contract as the runner:
//
//   POST /v1/invoke/<name>   (name = file base name: hello, fib, json)
//     body: JSON (may be empty), overlaid on the default vars {name: "World"}
//     string result -> 200 text/plain; any other result -> 200 application/json
//     errors -> {"error": {"code": N, "reason": "..."}}
//   GET /                    -> 200 and the list of functions (readiness probe)
//
// Usage: node bench/node-vm-server.js --port N --mode fresh|reused [--host 127.0.0.1] [--workers 1]
//
//   reused: one vm context per function, created at start; the source runs once in it and
//           main is called per request (what a ScriptForge `worker` does: state persists).
//   fresh:  a new vm context per request; the Script, compiled once at start, runs in it,
//           then main is called (what "fresh state per call", a ScriptForge `script`, costs in Node).
//
// No npm dependencies. The vm.Script objects are compiled once at start in both modes.
//
// Each source is compiled wrapped in a function, as CommonJS wraps a module:
//   (function () { <source>; return main; })()
// so its top-level functions and vars are closure locals, not properties of the vm context's
// global. A contextified global answers every lookup through a C++ interceptor: left as plain
// globals, the recursive fib(27) runs about 30x slower than in the main realm, which would
// compare ScriptForge with a crippled Node. The semantics the functions rely on are kept:
// globalThis is the context's, fresh per call in mode=fresh and persistent in mode=reused (where
// top-level vars, being created once, persist too). On Node >= 22.8 the contexts are also made
// with vm.constants.DONT_CONTEXTIFY (an ordinary global object, cheaper to create).
'use strict';

const http = require('node:http');
const vm = require('node:vm');
const fs = require('node:fs');
const path = require('node:path');
const cluster = require('node:cluster');

function parseArgs(argv) {
  const opts = { port: 0, mode: '', host: '127.0.0.1', workers: 1, dir: path.join(__dirname, 'functions') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--port': opts.port = Number(next()); break;
      case '--mode': opts.mode = next(); break;
      case '--host': opts.host = next(); break;
      case '--workers': opts.workers = Number(next()); break;
      case '--dir': opts.dir = next(); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) usage('--port N is required (1-65535)');
  if (opts.mode !== 'fresh' && opts.mode !== 'reused') usage('--mode must be fresh or reused');
  if (!Number.isInteger(opts.workers) || opts.workers < 1) usage('--workers must be an integer >= 1');
  return opts;
}

function usage(message) {
  if (message) process.stderr.write(`node-vm-server: ${message}\n`);
  process.stderr.write('usage: node-vm-server.js --port N --mode fresh|reused [--host 127.0.0.1] [--workers 1] [--dir bench/functions]\n');
  process.exit(message ? 2 : 0);
}

const opts = parseArgs(process.argv.slice(2));
const DEFAULT_VARS = Object.freeze({ name: 'World' });

// ---- functions -------------------------------------------------------------------------------

const DONT_CONTEXTIFY = vm.constants && vm.constants.DONT_CONTEXTIFY;

function newContext() {
  return DONT_CONTEXTIFY === undefined ? vm.createContext({}) : vm.createContext(DONT_CONTEXTIFY);
}

function loadFunctions(dir) {
  const functions = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const name = path.basename(file, '.js');
    const filename = path.join(dir, file);
    const source = fs.readFileSync(filename, 'utf8');
    // lineOffset -1: the wrapper's first line is not counted, so stack traces name the file's lines.
    const wrapped = '(function () {\n' + source + '\n;return typeof main === "function" ? main : undefined;\n})()';
    const script = new vm.Script(wrapped, { filename, lineOffset: -1 });
    const fn = { name, script, main: null };
    // Reused: the one context, made now. Fresh: a throwaway run, so a broken file fails at start.
    const main = mainOf(script, name);
    if (opts.mode === 'reused') fn.main = main;
    functions.set(name, fn);
  }
  if (functions.size === 0) throw new Error(`no *.js functions in ${dir}`);
  return functions;
}

// Runs the (precompiled) script in a new context and answers its main.
function mainOf(script, name) {
  const main = script.runInContext(newContext());
  if (typeof main !== 'function') throw new Error(`${name}: the script defines no function main`);
  return main;
}

// ---- HTTP ------------------------------------------------------------------------------------

const PREFIX = '/v1/invoke/';
const SIP = /^([1-6][0-9]{2}) (\S[\s\S]*)$/;

function send(res, status, type, text) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res, status, code, reason) {
  send(res, status, 'application/json', JSON.stringify({ error: { code, reason } }));
}

function inputOf(body) {
  if (body.length === 0) return Object.assign({}, DEFAULT_VARS);
  const parsed = JSON.parse(body);
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return Object.assign({}, DEFAULT_VARS, parsed);
  }
  return parsed;
}

function invoke(fn, res, body) {
  let data;
  try {
    data = inputOf(body);
  } catch (e) {
    sendError(res, 400, 400, 'Bad Request: body is not JSON');
    return;
  }
  let result;
  try {
    const main = opts.mode === 'reused' ? fn.main : mainOf(fn.script, fn.name);
    result = main(data, { name: fn.name });
  } catch (e) {
    // Scripts signal errors by throwing "NNN Reason", like on ScriptForge.
    const m = typeof e === 'string' ? SIP.exec(e.trim()) : null;
    if (m) {
      const code = Number(m[1]);
      sendError(res, code >= 400 && code <= 599 ? code : 422, code, m[2]);
    } else {
      sendError(res, 500, 500, String(e && e.message ? e.message : e));
    }
    return;
  }
  if (typeof result === 'string') {
    send(res, 200, 'text/plain; charset=utf-8', result);
  } else {
    send(res, 200, 'application/json', result === undefined ? 'null' : JSON.stringify(result));
  }
}

function serve(functions) {
  const index = JSON.stringify({ mode: opts.mode, functions: [...functions.keys()] });
  const server = http.createServer((req, res) => {
    const url = req.url;
    if (req.method === 'POST' && url.startsWith(PREFIX)) {
      const q = url.indexOf('?');
      const name = url.slice(PREFIX.length, q < 0 ? url.length : q);
      const fn = functions.get(name);
      if (fn === undefined) {
        req.resume();
        sendError(res, 404, 404, `no function ${name}`);
        return;
      }
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = chunks.length === 0 ? '' : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8');
        invoke(fn, res, body);
      });
      return;
    }
    req.resume();
    if (req.method === 'GET' && (url === '/' || url === '/health')) {
      send(res, 200, 'application/json', index);
    } else {
      sendError(res, 404, 404, 'Not Found');
    }
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('error', (e) => {
    process.stderr.write(`node-vm-server: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(opts.port, opts.host, () => {
    process.stdout.write(`node-vm-server pid ${process.pid}: mode=${opts.mode} http://${opts.host}:${opts.port}${PREFIX}{${[...functions.keys()].join(',')}}\n`);
  });
}

// ---- main ------------------------------------------------------------------------------------

if (opts.workers > 1 && cluster.isPrimary) {
  // Optional: N processes sharing the port (node:cluster), for a multi-core comparison.
  for (let i = 0; i < opts.workers; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`node-vm-server: worker ${worker.process.pid} died (${signal || code}); stopping\n`);
      stop(1);
    }
  });
  const stop = (status) => {
    stopping = true;
    for (const w of Object.values(cluster.workers)) w.process.kill('SIGTERM');
    process.exit(status);
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
} else {
  serve(loadFunctions(opts.dir));
}
