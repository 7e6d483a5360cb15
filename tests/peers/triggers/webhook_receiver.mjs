// A webhook receiver for the trigger delivery tests. It checks every delivery independently of
// the gateway's code: the Coregate-Signature header with node's own HMAC-SHA256 (constant-time
// compare, 5-minute replay window) and the body with the npm `cloudevents` SDK. It injects faults
// on purpose and records only the deliveries it accepted (2xx), one JSON line each, so the test
// can check "every event once, in order per subject".
//
//   node webhook_receiver.mjs --port-file F --record F --secret S
//        [--fail-every N]      every Nth new event id: answer 500 to its first 2 attempts
//        [--hang-every N]      every Nth new event id: hold its first attempt --hang-ms, then 503
//        [--hang-ms MS]        (default 2500)
//        [--always-fail-subject S]  events of subject S always get 500 (dead-letter tests)
//        [--quiet-record]      do not write the record file (benchmarks); /stats still counts
//
// GET /stats answers {accepted, bad_signature, bad_event, injected_500, injected_hang};
// POST /control {"always_fail_subject": S | null} changes the failing subject at run time.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { HTTP } = require('../node_modules/cloudevents');

const args = {};
for (let i = 2; i < process.argv.length; i += 1) {
  const key = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args[key] = true;
  else { args[key] = next; i += 1; }
}
const secret = String(args.secret ?? '');
const failEvery = Number(args['fail-every'] ?? 0);
const hangEvery = Number(args['hang-every'] ?? 0);
const hangMs = Number(args['hang-ms'] ?? 2500);
let alwaysFailSubject = args['always-fail-subject'];
const record = args['quiet-record'] ? null : fs.openSync(args.record, 'a');

const stats = { accepted: 0, bad_signature: 0, bad_event: 0, injected_500: 0, injected_hang: 0 };
const seen = new Map();  // event id -> { ordinal, attempts }
let ordinal = 0;

function verify(header, body) {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = crypto.createHmac('sha256', secret).update(`${match[1]}.`).update(body).digest();
  return crypto.timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

const server = http.createServer({ keepAliveTimeout: 60000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.method === 'POST' && req.url === '/control') {
      alwaysFailSubject = JSON.parse(body.toString('utf8')).always_fail_subject ?? undefined;
      res.writeHead(204).end();
      return;
    }
    if (!verify(req.headers['coregate-signature'], body)) {
      stats.bad_signature += 1;
      res.writeHead(401).end();
      return;
    }
    let event;
    try {
      event = HTTP.toEvent({ headers: req.headers, body: body.toString('utf8') });
      if (Array.isArray(event)) throw new Error('a batch where one event was expected');
    } catch (e) {
      stats.bad_event += 1;
      process.stderr.write(`bad event: ${e.message ?? e}\n`);
      res.writeHead(400).end();
      return;
    }
    let entry = seen.get(event.id);
    if (!entry) {
      ordinal += 1;
      entry = { ordinal, attempts: 0 };
      seen.set(event.id, entry);
    }
    entry.attempts += 1;
    if (alwaysFailSubject !== undefined && event.subject === alwaysFailSubject) {
      stats.injected_500 += 1;
      res.writeHead(500).end('always failing');
      return;
    }
    if (hangEvery > 0 && entry.ordinal % hangEvery === 0 && entry.attempts === 1) {
      stats.injected_hang += 1;
      setTimeout(() => res.writeHead(503).end('too late'), hangMs);
      return;
    }
    if (failEvery > 0 && entry.ordinal % failEvery === 0 && entry.attempts <= 2) {
      stats.injected_500 += 1;
      res.writeHead(500).end('injected');
      return;
    }
    stats.accepted += 1;
    if (record !== null) {
      fs.writeSync(record, `${JSON.stringify({ id: event.id, subject: event.subject ?? '',
        type: event.type, reference: event.data?.payment_reference ?? '',
        attempt: Number(req.headers['coregate-delivery-attempt'] ?? 0) })}\n`);
    }
    res.writeHead(204).end();
  });
});

server.listen(0, '127.0.0.1', () => {
  const tmp = `${args['port-file']}.tmp`;
  fs.writeFileSync(tmp, `${server.address().port}\n`);
  fs.renameSync(tmp, args['port-file']);
});
process.on('SIGTERM', () => process.exit(0));
