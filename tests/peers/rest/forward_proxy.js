// A forward proxy for the REST adapter's proxy test: absolute-URI requests for http:// targets and
// CONNECT tunnels for https:// targets, optionally requiring Basic proxy credentials.
//
//   node forward_proxy.js --port-file FILE [--user name:password]
//
// GET /_stats (asked directly, not proxied) -> {"forwarded": n, "tunnels": n, "refused": n}
'use strict';
const http = require('http');
const net = require('net');
const { args, writePortFile, json } = require('./common');

const a = args();
const expected = a.user ? 'Basic ' + Buffer.from(a.user).toString('base64') : null;
const stats = { forwarded: 0, tunnels: 0, refused: 0 };
const allowed = (req) => !expected || req.headers['proxy-authorization'] === expected;

const server = http.createServer((req, res) => {
  if (req.url === '/_stats') return json(res, 200, stats);
  if (!allowed(req)) { stats.refused++; return json(res, 407, { error: 'proxy auth' }, { 'proxy-authenticate': 'Basic' }); }
  const target = new URL(req.url);
  stats.forwarded++;
  const headers = Object.assign({}, req.headers);
  delete headers['proxy-authorization'];
  const upstream = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search,
                                  method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => { res.writeHead(502); res.end(); });
  req.pipe(upstream);
});
server.on('connect', (req, socket, head) => {
  if (!allowed(req)) { stats.refused++; socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'); return; }
  stats.tunnels++;
  const [host, port] = req.url.split(':');
  const upstream = net.connect(Number(port), host, () => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
});
server.listen(Number(a.port || 0), '127.0.0.1', () => writePortFile(a['port-file'], server.address().port));
