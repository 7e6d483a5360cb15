// A target that honours Idempotency-Key: each key is applied once; a repeat gets the stored
// answer again (with "Idempotent-Replayed: true"). It can answer late on purpose — AFTER applying —
// so the client's read timeout fires on a write that did land: the exactly-once test's fault.
//
//   node idempotent_target.js --port-file FILE [--port N] [--delay-every K] [--delay-ms MS]
//                              [--delay-first-attempts N] [--state FILE]
//
//   --port-file FILE         the listening port is written here once ready (port 0 = any free)
//   --delay-every K          every K-th new key is answered late (0 = never)
//   --delay-ms MS            how late (default 3000; make it exceed the client's read timeout)
//   --delay-first-attempts N the first N requests for every key are answered late
//   --state FILE             keep applied keys in FILE across restarts (JSON, rewritten per apply)
//
// Routes:
//   POST /<anything>   apply (body stored under the key); 201 {"id": "<n>", "key": ...}
//                      400 without the header; 422 when the same key comes with another body
//   GET  /_stats       {"applied": <distinct keys>, "requests": n, "keys": {key: apply count}}
//   GET  /_lookup?key=K 200 {"id": ...} when K was applied, else 404 (a probe target)
//   POST /_config      {"delay_every": K, "delay_ms": MS, "delay_first_attempts": N} at run time
//   GET  /health       200
'use strict';
const http = require('http');
const fs = require('fs');
const { args, writePortFile, json, readBody } = require('./common');

const a = args();
let delayEvery = Number(a['delay-every'] || 0);
let delayMs = Number(a['delay-ms'] || 3000);
let delayFirstAttempts = Number(a['delay-first-attempts'] || 0);
const stateFile = a.state;

let state = { next: 1, keys: {} };  // key -> {id, body, applies, answer}
if (stateFile && fs.existsSync(stateFile)) state = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
const attempts = {};  // key -> requests seen (not persisted)
let requests = 0;

function save() {
  if (!stateFile) return;
  fs.writeFileSync(stateFile + '.tmp', JSON.stringify(state));
  fs.renameSync(stateFile + '.tmp', stateFile);
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const body = await readBody(req);
  if (req.method === 'GET' && url.pathname === '/_stats') {
    const keys = {};
    for (const [k, v] of Object.entries(state.keys)) keys[k] = v.applies;
    return json(res, 200, { applied: Object.keys(state.keys).length, requests, keys, requests_per_key: attempts });
  }
  if (req.method === 'GET' && url.pathname === '/_lookup') {
    const entry = state.keys[url.searchParams.get('key') || ''];
    return entry ? json(res, 200, { id: entry.id }) : json(res, 404, { error: 'not found' });
  }
  if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { ok: true });
  if (req.method === 'POST' && url.pathname === '/_config') {
    const c = JSON.parse(body || '{}');
    if (c.delay_every !== undefined) delayEvery = c.delay_every;
    if (c.delay_ms !== undefined) delayMs = c.delay_ms;
    if (c.delay_first_attempts !== undefined) delayFirstAttempts = c.delay_first_attempts;
    return json(res, 200, { delayEvery, delayMs, delayFirstAttempts });
  }
  if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
  requests++;
  const key = req.headers['idempotency-key'];
  if (!key) return json(res, 400, { error: 'Idempotency-Key header required' });
  attempts[key] = (attempts[key] || 0) + 1;
  let entry = state.keys[key];
  let isNew = false;
  if (entry) {
    if (entry.body !== body) return json(res, 422, { error: 'key reused with another body' });
  } else {
    isNew = true;
    const id = String(state.next++);
    entry = { id, body, applies: 1, answer: { id, key, path: url.pathname } };
    state.keys[key] = entry;  // applied now, before any answer leaves
    save();
  }
  const late = (attempts[key] <= delayFirstAttempts) ||
               (isNew && delayEvery > 0 && Number(entry.id) % delayEvery === 0);
  const send = () => json(res, isNew ? 201 : 200, entry.answer,
                          isNew ? {} : { 'idempotent-replayed': 'true' });
  if (late) setTimeout(send, delayMs); else send();
});
server.keepAliveTimeout = 60000;
server.listen(Number(a.port || 0), '127.0.0.1', () => writePortFile(a['port-file'], server.address().port));
