// esbuild inject: the free variables a Node module expects (Buffer, process, URL, TextEncoder, ...),
// resolved from the sandbox's shims. They never become properties of the Script's global object.
const web = require('scriptforge:web');
export const Buffer = require('buffer').Buffer;
export const process = require('process');
// URL and URLSearchParams stand for whatwg-url's classes, loaded when first constructed.
export class URL {
  constructor(url, base) { return base === undefined ? new web.URL(url) : new web.URL(url, base); }
  static [Symbol.hasInstance](value) { return value instanceof web.URL; }
  static canParse(url, base) { try { new URL(url, base); return true; } catch (e) { return false; } }
}
export class URLSearchParams {
  constructor(init) { return new web.URLSearchParams(init); }
  static [Symbol.hasInstance](value) { return value instanceof web.URLSearchParams; }
}
export const AbortController = web.AbortController;
export const AbortSignal = web.AbortSignal;
export const TextEncoder = web.TextEncoder;
export const TextDecoder = web.TextDecoder;
export const atob = web.atob;
export const btoa = web.btoa;
export const queueMicrotask = web.queueMicrotask;
