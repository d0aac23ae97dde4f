// The part of Node's `crypto` that libraries use for ids, boundaries and signatures, computed by the
// host (java.security): hashes, HMACs and secure random bytes. Ciphers and keys are not offered.
'use strict';
const { Buffer } = require('buffer/');
const unavailable = require('./unavailable');

const ALGORITHMS = new Set(['md5', 'sha1', 'sha256', 'sha384', 'sha512']);

module.exports = function makeCrypto(bridge) {
  const algorithm = (name) => {
    const a = String(name).toLowerCase().replace('-', '');
    if (!ALGORITHMS.has(a)) throw new Error("crypto: digest '" + name + "' is not available in the sandbox (md5, sha1, sha256, sha384, sha512)");
    return a;
  };
  const encode = (buffer, encoding) => (encoding ? buffer.toString(encoding) : buffer);

  class Hash {
    constructor(alg, key) { this.alg = algorithm(alg); this.key = key; this.parts = []; }
    update(data, inputEncoding) {
      this.parts.push(typeof data === 'string' ? Buffer.from(data, inputEncoding || 'utf8') : Buffer.from(data));
      return this;
    }
    digest(encoding) {
      const data = Buffer.concat(this.parts).toString('base64');
      const out = this.key === undefined ? bridge.digest(this.alg, data) : bridge.hmac(this.alg, this.key.toString('base64'), data);
      return encode(Buffer.from(out, 'base64'), encoding);
    }
  }
  const keyBytes = (key) => (typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key));

  function randomBytes(size, callback) {
    if (!Number.isSafeInteger(size)) throw new TypeError('crypto.randomBytes: the size must be a whole number of bytes, not ' + String(size));
    const bytes = Buffer.from(bridge.random(size), 'base64');
    if (typeof callback === 'function') { Promise.resolve().then(() => callback(null, bytes)); return undefined; }
    return bytes;
  }
  function randomFillSync(target, offset = 0, size) {
    const view = new Uint8Array(target.buffer || target, target.byteOffset || 0, target.byteLength);
    const n = size === undefined ? view.length - offset : size;
    view.set(randomBytes(n), offset);
    return target;
  }
  function randomUUID() {
    const b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function timingSafeEqual(a, b) {
    if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
    return diff === 0;
  }
  const ciphers = unavailable('crypto', 'only hashes, HMACs and random bytes are offered');
  return {
    createHash: (alg) => new Hash(alg),
    createHmac: (alg, key) => new Hash(alg, keyBytes(key)),
    randomBytes,
    pseudoRandomBytes: randomBytes,
    randomFillSync,
    randomFill: (target, ...rest) => { const cb = rest.pop(); randomFillSync(target); Promise.resolve().then(() => cb(null, target)); },
    randomUUID,
    randomInt: (min, max) => { if (max === undefined) { max = min; min = 0; } return min + (randomBytes(4).readUInt32BE(0) % (max - min)); },
    getRandomValues: (view) => randomFillSync(view),
    timingSafeEqual,
    getHashes: () => [...ALGORITHMS],
    webcrypto: { getRandomValues: (view) => randomFillSync(view), randomUUID },
    createCipheriv: ciphers.createCipheriv, createDecipheriv: ciphers.createDecipheriv,
    createSign: ciphers.createSign, createVerify: ciphers.createVerify, publicEncrypt: ciphers.publicEncrypt,
    privateDecrypt: ciphers.privateDecrypt, createPrivateKey: ciphers.createPrivateKey, createPublicKey: ciphers.createPublicKey,
    pbkdf2: ciphers.pbkdf2, pbkdf2Sync: ciphers.pbkdf2Sync, scryptSync: ciphers.scryptSync,
  };
};
