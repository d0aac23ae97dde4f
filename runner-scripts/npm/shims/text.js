// TextEncoder (UTF-8) and TextDecoder (UTF-8, Latin-1, UTF-16LE) over Buffer: GraalJS has none, and several modules need them.
'use strict';
const { Buffer } = require('buffer/');

class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input = '') { return new Uint8Array(Buffer.from(String(input), 'utf8')); }
}

// The labels Buffer can decode, by WHATWG encoding name.
const DECODINGS = {
  'utf-8': 'utf8', 'utf8': 'utf8', 'unicode-1-1-utf-8': 'utf8',
  'latin1': 'latin1', 'iso-8859-1': 'latin1', 'windows-1252': 'latin1', 'ascii': 'latin1', 'us-ascii': 'latin1',
  'utf-16le': 'utf16le', 'utf-16': 'utf16le', 'utf-16be': 'utf16be',
};

class TextDecoder {
  constructor(label = 'utf-8') {
    const l = String(label).trim().toLowerCase();
    this.label = l === 'utf8' ? 'utf-8' : l;
    this.bufferEncoding = DECODINGS[l]; // libraries make decoders they may never use: refuse at decode()
  }
  get encoding() { return this.label; }
  decode(input) {
    if (input === undefined) return '';
    if (this.bufferEncoding === undefined) throw new RangeError('TextDecoder: the encoding ' + this.label + ' is not available in the sandbox');
    const view = ArrayBuffer.isView(input) ? input : new Uint8Array(input);
    const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    if (this.bufferEncoding === 'utf16be') return Buffer.from(bytes).swap16().toString('utf16le');
    return bytes.toString(this.bufferEncoding);
  }
}

module.exports = { TextEncoder, TextDecoder };
