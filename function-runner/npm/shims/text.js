// UTF-8 TextEncoder/TextDecoder over Buffer: GraalJS has none, and several modules need them.
'use strict';
const { Buffer } = require('buffer/');

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') { return new Uint8Array(Buffer.from(String(input), 'utf8')); }
}

class TextDecoder {
  constructor(label = 'utf-8') {
    const l = String(label).toLowerCase();
    if (l !== 'utf-8' && l !== 'utf8') throw new RangeError('TextDecoder: only utf-8 is available in the sandbox, not ' + label);
  }
  get encoding() { return 'utf-8'; }
  decode(input) {
    if (input === undefined) return '';
    const view = ArrayBuffer.isView(input) ? input : new Uint8Array(input);
    return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8');
  }
}

module.exports = { TextEncoder, TextDecoder };
