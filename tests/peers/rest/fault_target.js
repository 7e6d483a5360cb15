// The REST adapter's fault peer: every bad answer the classification table covers, plain HTTP or
// TLS (--cert/--key, e.g. a wrong-host or expired certificate made by the test with openssl).
//
//   node fault_target.js --port-file FILE [--cert PEM --key PEM [--client-ca PEM]]
//                        [--close-idle-ms MS]   idle connections closed after MS, unannounced
//
// Routes (any method unless stated):
//   /status/<code>[?retry_after=V]   answers <code> with {"status": code}, Retry-After: V if given
//   /created[?id=X]                  201 {"id": X or "r-<n>"}, Location: /created/<id>
//   /no-content                      204
//   /slow?ms=N                       answers 201 after N ms
//   /reset                           destroys the connection without an answer
//   /invalid-json                    201 with a body that is not JSON
//   /big?bytes=N                     201 with an N-byte JSON string body
//   /loop                            307 to /loop (a redirect loop)
//   /redirect-once                   307 to /created
//   /redirect-away                   307 to http://other.invalid/x
//   /see-other                       303, Location: /created/abc
//   /echo                            200 {"method","path","query","headers","body"} of the request
//   /events?since=N&limit=L          poll: records id>N, Link rel=next while more remain
//   /feed?cursor=C                   poll: {"items": [...], "next_cursor": C'|null}
//   /lookup?key=K                    probe: [] unless K was POSTed to /created with that key
//   /health                          200; /_set_health?status=N changes it
//   /_stats                          {"requests": n, "by_path": {...}}
'use strict';
const http = require('http');
const https = require('https');
const fs = require('fs');
const { args, writePortFile, json, readBody } = require('./common');

const a = args();
let n = 0;
let healthStatus = 200;
const stats = { requests: 0, by_path: {} };
const createdByKey = {};
const EVENTS = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, type: 'debit.failed', account: 'A' + (i % 5) }));

async function handle(req, res) {
  const url = new URL(req.url, 'http://x');
  const body = await readBody(req);
  const p = url.pathname;
  stats.requests++;
  stats.by_path[p] = (stats.by_path[p] || 0) + 1;
  const q = (k) => url.searchParams.get(k);
  let m;
  if ((m = p.match(/^\/status\/(\d{3})$/))) {
    const headers = q('retry_after') ? { 'retry-after': q('retry_after') } : {};
    return json(res, Number(m[1]), { status: Number(m[1]), detail: 'as asked' }, headers);
  }
  if (p === '/created' || p.startsWith('/created/')) {
    const id = q('id') || 'r-' + (++n);
    const key = req.headers['idempotency-key'];
    if (key) createdByKey[key] = id;
    return json(res, 201, { id, key: key || null }, { location: '/created/' + id });
  }
  if (p === '/no-content') { res.writeHead(204); return res.end(); }
  if (p === '/slow') return setTimeout(() => json(res, 201, { id: 'slow' }), Number(q('ms') || 2000));
  if (p === '/reset') return req.socket.destroy();
  if (p === '/invalid-json') return json(res, 201, '{"id": "x", oops');
  if (p === '/big') return json(res, 201, JSON.stringify('x'.repeat(Number(q('bytes') || 2000000))));
  if (p === '/loop') { res.writeHead(307, { location: '/loop' }); return res.end(); }
  if (p === '/redirect-once') { res.writeHead(307, { location: '/created' }); return res.end(); }
  if (p === '/redirect-away') { res.writeHead(307, { location: 'http://other.invalid/x' }); return res.end(); }
  if (p === '/see-other') { res.writeHead(303, { location: '/created/abc' }); return res.end(); }
  if (p.startsWith('/echo')) {
    stats.last_echo = { method: req.method, path: p, url: req.url, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    return json(res, 200, { method: req.method, path: p, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
  }
  if (p === '/events') {
    const since = Number(q('since') || 0);
    const limit = Number(q('limit') || 10);
    const page = EVENTS.filter((e) => e.id > since).slice(0, limit);
    const headers = {};
    if (page.length && page[page.length - 1].id < EVENTS[EVENTS.length - 1].id) {
      headers.link = `</events?since=${page[page.length - 1].id}&limit=${limit}>; rel="next", </events>; rel="first"`;
    }
    return json(res, 200, page, headers);
  }
  if (p === '/feed') {
    const start = Number(q('cursor') || 0);
    const items = EVENTS.slice(start, start + 10);
    const next = start + items.length;
    return json(res, 200, { items, next_cursor: items.length ? String(next) : null });
  }
  if (p === '/lookup') {
    const id = createdByKey[q('key') || ''];
    return json(res, 200, id ? [{ id, key: q('key') }] : []);
  }
  if (p === '/health') return json(res, healthStatus, { status: healthStatus });
  if (p === '/_set_health') { healthStatus = Number(q('status')); return json(res, 200, {}); }
  if (p === '/_stats') return json(res, 200, stats);
  return json(res, 404, { error: 'no route ' + p });
}

let server;
if (a.cert) {
  const options = { cert: fs.readFileSync(a.cert), key: fs.readFileSync(a.key) };
  if (a['client-ca']) Object.assign(options, { ca: fs.readFileSync(a['client-ca']), requestCert: true, rejectUnauthorized: true });
  server = https.createServer(options, (req, res) => handle(req, res));
} else {
  server = http.createServer((req, res) => handle(req, res));
}
server.keepAliveTimeout = 60000;
// --close-idle-ms: close a connection idle that long WITHOUT announcing it (the Keep-Alive header
// still says 60 s), as a load balancer or a restarted server does.
if (a['close-idle-ms']) {
  server.on('request', (req, res) => {
    clearTimeout(req.socket.idleCloser);
    res.on('finish', () => {
      req.socket.idleCloser = setTimeout(() => req.socket.destroy(), Number(a['close-idle-ms']));
    });
  });
}
server.listen(Number(a.port || 0), '127.0.0.1', () => writePortFile(a['port-file'], server.address().port));
