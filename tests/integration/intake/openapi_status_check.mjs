// Runs the real gateway on port 0 and checks that every answer it gives to a spread of requests
// (good, replayed, conflicting, malformed, unauthorised, ...) is a status code docs/openapi.yaml
// documents for that operation, with the documented media type.
// Usage: node openapi_status_check.mjs <coregate binary> <repository root>
// Exit 0: all documented; 1: a mismatch (listed); 77: prerequisites missing (skipped).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const [binary, root] = process.argv.slice(2);
const peers = join(root, 'tests/peers/node_modules');
if (!binary || !existsSync(binary) || !existsSync(join(peers, 'js-yaml'))) {
  console.log('skipped: needs the coregate binary and `npm ci --prefix tests/peers`');
  process.exit(77);
}
const yaml = createRequire(join(peers, 'x.js'))('js-yaml');
const spec = yaml.load(readFileSync(join(root, 'docs/openapi.yaml'), 'utf8'));

const resolve = (node) => {
  if (node && node.$ref) return node.$ref.slice(2).split('/').reduce((o, k) => o[k.replace(/~1/g, '/')], spec);
  return node;
};

const dir = mkdtempSync(join(tmpdir(), 'coregate-openapi-'));
const token = 'openapi-check-token';
const readerHash = createHash('sha256').update('reader-token').digest('hex');
writeFileSync(join(dir, 'coregate.json'), JSON.stringify({
  listen: '127.0.0.1:0',
  http: { body_limit: '64KiB' },
  store: { path: join(dir, 'store.db') },
  intake: { schemas: join(root, 'schemas') },
  auth: { tokens: [
    { name: 'writer', token_env: 'COREGATE_TOKEN', scopes: ['outcomes:write', 'outcomes:read'] },
    { name: 'reader', sha256: readerHash, scopes: ['outcomes:read'] },
  ] },
}));
const child = spawn(binary, ['serve', '--config', join(dir, 'coregate.json'), '--port-file', join(dir, 'port')],
  { env: { ...process.env, COREGATE_TOKEN: token }, stdio: ['ignore', 'ignore', 'inherit'] });
let port = 0;
for (let i = 0; i < 500 && !port; i++) {
  await new Promise((r) => setTimeout(r, 20));
  if (existsSync(join(dir, 'port'))) port = Number(readFileSync(join(dir, 'port'), 'utf8').trim());
}
if (!port) { console.error('gateway did not start'); child.kill('SIGKILL'); process.exit(1); }
const base = `http://127.0.0.1:${port}`;

const body = (subject, value = '"1500.00"') =>
  `{"type":"arrangement.promise_to_pay","subject":"${subject}","data":{"account":{"account_id":"4000123456"},` +
  `"amount":{"value":${value},"currency":"ZAR"},"promised_date":"2026-03-15"}}`;
const writer = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
const post = (key, payload, headers = writer) =>
  ({ method: 'POST', path: '/v1/outcomes', headers: key === null ? headers : { ...headers, 'Idempotency-Key': `"${key}"` }, body: payload });

// A raw request for what fetch refuses to send (oversized headers).
const raw = (text) => new Promise((resolveRaw, reject) => {
  const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
  let data = '';
  socket.on('data', (d) => { data += d; });
  socket.on('end', () => resolveRaw(Number(data.split(' ')[1])));
  socket.on('error', reject);
});

const cases = [
  { op: ['/healthz', 'get'], req: { method: 'GET', path: '/healthz' } },
  { op: ['/readyz', 'get'], req: { method: 'GET', path: '/readyz' } },
  { op: ['/v1/outcomes', 'post'], req: post('k1', body('account:1')) },
  { op: ['/v1/outcomes', 'post'], req: post('k1', body('account:1')) },
  { op: ['/v1/outcomes', 'post'], req: post('k1', body('account:2')) },
  { op: ['/v1/outcomes', 'post'], req: post(null, body('account:1')) },
  { op: ['/v1/outcomes', 'post'], req: post('k2', body('account:1', '1500.5')) },
  { op: ['/v1/outcomes', 'post'], req: post('k2', '{"type":"nope"}') },
  { op: ['/v1/outcomes', 'post'], req: post('k2', '{"a":1,"a":2}') },
  { op: ['/v1/outcomes', 'post'], req: post('k2', '{"a":') },
  { op: ['/v1/outcomes', 'post'], req: post('k2', body('x'), { ...writer, 'Content-Type': 'text/plain' }) },
  { op: ['/v1/outcomes', 'post'], req: post('k2', body('x'), { 'Content-Type': 'application/json' }) },
  { op: ['/v1/outcomes', 'post'], req: post('k2', body('x'), { ...writer, Authorization: 'Bearer reader-token' }) },
  { op: ['/v1/outcomes', 'post'], req: post('k2', ' '.repeat(70000) + body('x')) },
  { op: ['/v1/outcomes', 'post'], raw: `POST /v1/outcomes HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20000)}\r\n\r\n` },
  { op: ['/v1/outcomes', 'get'], req: { method: 'GET', path: '/v1/outcomes?limit=2', headers: writer } },
  { op: ['/v1/outcomes', 'get'], req: { method: 'GET', path: '/v1/outcomes?status=bogus', headers: writer } },
  { op: ['/v1/outcomes', 'get'], req: { method: 'GET', path: '/v1/outcomes' } },
  { op: ['/v1/outcomes/{id}', 'get'], req: { method: 'GET', path: '/v1/outcomes/00000000-0000-7000-8000-000000000000', headers: writer } },
  { op: ['/v1/outcomes/{id}', 'get'], req: { method: 'GET', path: '/v1/outcomes/x', headers: { Authorization: 'Bearer wrong' } } },
];

const failures = [];
let firstId = null;
for (const c of cases) {
  let status, type = '';
  if (c.raw) {
    status = await raw(c.raw);
  } else {
    const response = await fetch(base + c.req.path, { method: c.req.method, headers: c.req.headers, body: c.req.body });
    status = response.status;
    type = (response.headers.get('content-type') || '').split(';')[0];
    const text = await response.text();
    if (status === 202 && !firstId) firstId = JSON.parse(text).id;
  }
  const operation = spec.paths[c.op[0]][c.op[1]];
  const documented = resolve(operation.responses[String(status)]);
  const label = `${c.op[1].toUpperCase()} ${c.op[0]} (${c.req ? c.req.method + ' ' + c.req.path : 'raw'}) -> ${status}`;
  if (!documented) failures.push(`${label}: status not documented`);
  else if (type && documented.content && !documented.content[type]) failures.push(`${label}: ${type} not documented`);
  else console.log(`ok   ${label} ${type}`);
}
if (firstId) {
  const response = await fetch(`${base}/v1/outcomes/${firstId}`, { headers: writer });
  const documented = spec.paths['/v1/outcomes/{id}'].get.responses[String(response.status)];
  if (response.status !== 200 || !documented) failures.push(`GET /v1/outcomes/{id} -> ${response.status}`);
  else console.log(`ok   GET /v1/outcomes/{id} -> 200`);
}
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
rmSync(dir, { recursive: true, force: true });
for (const f of failures) console.error(`FAIL ${f}`);
process.exit(failures.length ? 1 : 0);
