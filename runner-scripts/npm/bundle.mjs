// Bundles each whitelisted npm module into one self-contained CommonJS file the runner loads from its
// class path: `(function (exports, require, module, __filename, __dirname) { ... })`. Node core
// modules stay external: the sandbox's `require` gives them from the shims bundle (node-shims.js).
// Usage: node bundle.mjs <output directory>
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bundle id -> the package entry it wraps, and the whitelisted modules it takes from its sibling bundles. */
export const MODULES = {
  'moment': { entry: 'moment' },
  'csv-parse': { entry: 'csv-parse' },
  'csv-parse/sync': { entry: 'csv-parse/sync' },
  'fast-csv': { entry: 'fast-csv' },
  'fast-toml': { entry: 'fast-toml' },
  'card-validator': { entry: 'card-validator' },
  'data-forge': { entry: 'data-forge' },
  'tough-cookie': { entry: 'tough-cookie' },
  'rss-parser': { entry: 'rss-parser' },
  'axios': { entry: 'axios' },
  // The jar support patches the axios instance the Script made: it must be the same axios bundle.
  'axios-cookiejar-support': { entry: 'axios-cookiejar-support', peers: ['axios', 'tough-cookie'] },
  'soap': { entry: 'soap' },
  'stripe': { entry: 'stripe' },
  'elasticemail-webapiclient': { entry: 'elasticemail-webapiclient' },
  'helpscout-2.0': { entry: 'helpscout-2.0' },
  'ftp': { entry: 'ftp' },
  'decompress-zip': { entry: 'decompress-zip' },
};

const WRAP = { js: '(function (exports, require, module, __filename, __dirname) {' };
const END = { js: '})' };
const common = {
  bundle: true, format: 'cjs', target: 'es2022', write: true, logLevel: 'error',
  legalComments: 'none', banner: WRAP, footer: END, charset: 'utf8',
  // Less to parse in every runner (1.3 MB bundles): whitespace and syntax only, names stay readable in stack traces.
  minifyWhitespace: true, minifySyntax: true,
  define: { global: 'globalThis' },
};

const out = process.argv[2];
if (!out) throw new Error('usage: node bundle.mjs <output directory>');
mkdirSync(out, { recursive: true });

await esbuild.build({
  ...common, entryPoints: ['shims/index.js'], outfile: join(out, 'node-shims.js'), platform: 'browser',
  inject: ['shims/shim-globals.js'],
});

const fileOf = (id) => id.replace(/\//g, '__') + '.js';
await Promise.all(Object.entries(MODULES).map(([id, { entry, peers = [] }]) => esbuild.build({
  ...common,
  stdin: { contents: `module.exports = require(${JSON.stringify(entry)});`, resolveDir: process.cwd(), sourcefile: id + '.js' },
  outfile: join(out, fileOf(id)), platform: 'node', inject: ['shims/globals.js'],
  external: ['scriptforge:*', ...peers, ...peers.map((p) => p + '/*')],
})));

writeFileSync(join(out, 'index.json'), JSON.stringify(Object.fromEntries(Object.keys(MODULES).map((id) => [id, fileOf(id)])), null, 2) + '\n');
console.log('bundled ' + Object.keys(MODULES).length + ' npm modules into ' + out);
