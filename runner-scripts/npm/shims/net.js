// Node's `net` client over the host's TCP client (for ftp): the host checks the address against the
// pool's egress policy, connects to the checked address and bounds what is read; the connection
// never outlives the invocation. No server side: a Script cannot listen.
'use strict';
const { Buffer } = require('buffer/');
const { Duplex } = require('stream-browserify');

module.exports = function makeNet(bridge) {
  class Socket extends Duplex {
    constructor(options) {
      super(Object.assign({ allowHalfOpen: false }, options));
      this.connection = null;
      this.connecting = false;
      this.remoteAddress = undefined;
      this.remotePort = undefined;
      this.bytesRead = 0;
      this.bytesWritten = 0;
    }
    connect(port, host, listener) {
      if (typeof port === 'object' && port !== null) { listener = host; host = port.host; port = port.port; }
      if (typeof host === 'function') { listener = host; host = undefined; }
      if (listener) this.once('connect', listener);
      this.connecting = true;
      this.remotePort = Number(port);
      this.connection = bridge.connect(host || 'localhost', Number(port), (event) => this.onEvent(event));
      return this;
    }
    onEvent(event) {
      switch (event.type) {
        case 'connect':
          this.connecting = false;
          this.remoteAddress = event.detail;
          this.emit('connect');
          this.emit('ready');
          break;
        case 'data': {
          const chunk = Buffer.from(event.data, 'base64');
          this.bytesRead += chunk.length;
          this.push(chunk);
          break;
        }
        case 'end':
          this.push(null);
          break;
        case 'error': {
          const error = new Error(event.detail);
          error.code = event.code;
          this.connection = null;
          this.destroy(error);
          break;
        }
        case 'close':
          this.connection = null;
          if (!this.destroyed) { this.push(null); this.destroy(); }
          break;
        default:
      }
    }
    _read() {}
    _write(chunk, encoding, done) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding);
      this.bytesWritten += bytes.length;
      if (this.connection !== null) this.connection.write(bytes.toString('base64'));
      done();
    }
    _final(done) {
      if (this.connection !== null) this.connection.end();
      done();
    }
    _destroy(error, done) {
      if (this.connection !== null) { this.connection.destroy(); this.connection = null; }
      done(error);
    }
    setTimeout(ms, callback) { if (callback) this.once('timeout', callback); return this; }
    setKeepAlive() { return this; }
    setNoDelay() { return this; }
    ref() { return this; }
    unref() { return this; }
    address() { return {}; }
  }

  const connect = (...args) => new Socket().connect(...args);
  const server = () => { throw new Error('a Script cannot listen: net servers are not available in the ScriptForge sandbox'); };
  const isIPv4 = (s) => /^(\d{1,3}\.){3}\d{1,3}$/.test(String(s));
  const isIPv6 = (s) => String(s).includes(':') && /^[0-9a-fA-F:.]+$/.test(String(s));
  return {
    Socket, Stream: Socket, connect, createConnection: connect, createServer: server, Server: server,
    isIP: (s) => (isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0), isIPv4, isIPv6,
  };
};
