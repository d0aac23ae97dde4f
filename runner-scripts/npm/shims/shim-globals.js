// esbuild inject for the shims bundle itself: the polyfills expect Buffer and process as globals.
export { Buffer } from 'buffer/';
export const process = require('./process');
// webidl-conversions (whatwg-url) reads SharedArrayBuffer.prototype at load; the sandbox removes
// SharedArrayBuffer, so the shims see a class nothing is an instance of.
export class SharedArrayBuffer {
  get byteLength() { return 0; }
  get growable() { return false; }
}
// whatwg-url encodes with the global TextEncoder/TextDecoder.
export { TextEncoder, TextDecoder } from './text.js';
