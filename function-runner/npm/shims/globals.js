// esbuild inject: the free variables a Node module expects (Buffer, process, URL, TextEncoder, ...),
// resolved from the sandbox's shims. They never become properties of the Script's global object.
const web = require('scriptforge:web');
export const Buffer = require('buffer').Buffer;
export const process = require('process');
export const URL = web.URL;
export const URLSearchParams = web.URLSearchParams;
export const AbortController = web.AbortController;
export const AbortSignal = web.AbortSignal;
export const TextEncoder = web.TextEncoder;
export const TextDecoder = web.TextDecoder;
export const atob = web.atob;
export const btoa = web.btoa;
export const queueMicrotask = web.queueMicrotask;
