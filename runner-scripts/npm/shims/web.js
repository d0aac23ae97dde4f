// The web globals Node has and GraalJS lacks, given to bundled modules as free variables (esbuild's
// inject), never installed on the Script's frozen global object.
'use strict';
const { Buffer } = require('buffer/');
const { AbortController, AbortSignal } = require('abort-controller/dist/abort-controller.js');
const { TextEncoder, TextDecoder } = require('./text');

module.exports = {
  // whatwg-url is large (IDNA tables): loaded on first use, not by every module that mentions URL.
  get URL() { return require('whatwg-url').URL; },
  get URLSearchParams() { return require('whatwg-url').URLSearchParams; },
  AbortController, AbortSignal, TextEncoder, TextDecoder,
  atob: (s) => Buffer.from(String(s), 'base64').toString('latin1'),
  btoa: (s) => Buffer.from(String(s), 'latin1').toString('base64'),
  queueMicrotask: (fn) => { Promise.resolve().then(fn); },
};
