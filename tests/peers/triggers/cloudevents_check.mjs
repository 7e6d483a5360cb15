// Parses events the gateway emitted with the npm `cloudevents` SDK (an independent
// implementation of CloudEvents 1.0): a pull response (application/cloudevents-batch+json) and
// SSE data lines (each a structured-mode event). Exits 0 and prints {"events": N, "ids": [...]}
// when every event parses and validates; exits 1 naming the first one that does not.
//
//   node cloudevents_check.mjs batch FILE     (the body of GET /v1/consumers/{group}/triggers)
//   node cloudevents_check.mjs sse FILE       (raw text/event-stream bytes)
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { HTTP, CloudEvent } = require('../node_modules/cloudevents');

const [mode, file] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const ids = [];
function check(event) {
  if (!(event instanceof CloudEvent)) throw new Error('not a CloudEvent');
  event.validate();
  if (event.specversion !== '1.0') throw new Error(`specversion ${event.specversion}`);
  if (!/^coregate\.(trigger|outcome)\./.test(event.type)) throw new Error(`type ${event.type}`);
  if (event.data === undefined) throw new Error(`event ${event.id} has no data`);
  ids.push(event.id);
}
try {
  if (mode === 'batch') {
    const events = HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents-batch+json' }, body: text });
    if (!Array.isArray(events)) throw new Error('a batch response did not parse as a batch');
    events.forEach(check);
  } else if (mode === 'sse') {
    for (const block of text.split('\n\n')) {
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      if (data === '') continue;
      check(HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json' }, body: data }));
    }
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  process.stderr.write(`cloudevents SDK refused an event: ${e.message ?? e}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ events: ids.length, ids })}\n`);
