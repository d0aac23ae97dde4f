// esbuild inject: the free variables a Node module expects (Buffer, process, URL, TextEncoder, ...),
// resolved from the sandbox's shims. They never become properties of the Script's global object.
// Each is a pure call, so a bundle that never mentions it (moment) does not load the shims at all.
const web = (name) => require('scriptforge:web')[name];
export const Buffer = /* @__PURE__ */ (() => require('buffer').Buffer)();
export const process = /* @__PURE__ */ (() => require('process'))();
export const AbortController = /* @__PURE__ */ web('AbortController');
export const AbortSignal = /* @__PURE__ */ web('AbortSignal');
export const TextEncoder = /* @__PURE__ */ web('TextEncoder');
export const TextDecoder = /* @__PURE__ */ web('TextDecoder');
export const atob = /* @__PURE__ */ web('atob');
export const btoa = /* @__PURE__ */ web('btoa');
export const queueMicrotask = /* @__PURE__ */ web('queueMicrotask');
// URL and URLSearchParams stand for whatwg-url's classes, loaded when first constructed.
export class URL {
  constructor(url, base) { return base === undefined ? new (web('URL'))(url) : new (web('URL'))(url, base); }
  static [Symbol.hasInstance](value) { return value instanceof web('URL'); }
  static canParse(url, base) { try { new URL(url, base); return true; } catch (e) { return false; } }
}
export class URLSearchParams {
  constructor(init) { return new (web('URLSearchParams'))(init); }
  static [Symbol.hasInstance](value) { return value instanceof web('URLSearchParams'); }
}
