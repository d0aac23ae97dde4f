// esbuild inject for the shims bundle itself: the polyfills expect Buffer and process as globals.
export { Buffer } from 'buffer/';
export const process = require('./process');
