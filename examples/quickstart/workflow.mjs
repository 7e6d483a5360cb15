// The quickstart's "workflow engine", scripted: it pulls payment.failed triggers from the gateway,
// agrees a promise to pay with each customer (instantly, in this script), posts the outcome with
// the trigger's id as its Idempotency-Key, acknowledges the trigger, then waits until every
// outcome has been written back and prints the figures an operator cares about.
//
// Usage: node workflow.mjs <base url> <expected triggers> [timeout seconds]
// Env:   COREGATE_QUICKSTART_TOKEN  bearer token (scopes outcomes:*, triggers:read, exceptions:manage)
// Exit:  0 every trigger seen and every outcome applied; 1 otherwise (the figures say what is missing)
const [base, expectedText, timeoutText = '60'] = process.argv.slice(2);
const expected = Number(expectedText);
const deadline = Date.now() + Number(timeoutText) * 1000;
const token = process.env.COREGATE_QUICKSTART_TOKEN;
if (!base || !Number.isInteger(expected) || !token) {
  console.error('usage: COREGATE_QUICKSTART_TOKEN=... node workflow.mjs <base url> <expected triggers> [timeout s]');
  process.exit(2);
}
const group = 'quickstart-workflow';
const headers = { Authorization: `Bearer ${token}` };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, path, body, extra = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}), ...extra },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (response.status >= 400) throw new Error(`${method} ${path} -> ${response.status}: ${text}`);
  return json;
}

function promisedDate(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

const seen = new Map();  // trigger id -> {time, outcome}
while (seen.size < expected && Date.now() < deadline) {
  const events = await call('GET', `/v1/consumers/${group}/triggers?limit=100`);
  const ack = [];
  for (const event of events) {
    ack.push(event.id);
    if (event.type !== 'coregate.trigger.payment.failed' || seen.has(event.id)) continue;
    const data = event.data;
    const outcome = {
      type: 'arrangement.promise_to_pay',
      subject: `account:${data.account.account_id}`,
      data: {
        account: data.account,
        amount: data.amount,
        promised_date: promisedDate(7),
        payment_method: 'debit_order',
        note: `Promised after the ${data.reason.replace(/_/g, ' ')} return of ${data.payment_reference}`,
      },
      trigger_id: event.id,
      evidence: { channel: 'sms', captured_at: new Date().toISOString(), agent_id: 'quickstart-bot' },
    };
    // The trigger id is a natural Idempotency-Key: a retried or re-delivered trigger can never
    // post a second promise.
    const accepted = await call('POST', '/v1/outcomes', outcome,
                                { 'Idempotency-Key': JSON.stringify(`promise-${event.id}`) });
    seen.set(event.id, { time: Date.parse(event.time), outcome: accepted.id });
  }
  if (ack.length) await call('POST', `/v1/consumers/${group}/ack`, { ids: ack });
  if (!events.length) await sleep(200);
}

// Wait for every writeback to finish (applied, or failed into the exception queue).
const results = new Map();
while (Date.now() < deadline) {
  for (const { outcome } of seen.values()) {
    if (results.get(outcome)?.final) continue;
    const o = await call('GET', `/v1/outcomes/${outcome}`);
    results.set(outcome, { status: o.status, updated: Date.parse(o.updated_at),
                           final: ['applied', 'failed', 'discarded'].includes(o.status) });
  }
  if ([...results.values()].every((r) => r.final) && results.size === seen.size) break;
  await sleep(200);
}

const applied = [...results.values()].filter((r) => r.status === 'applied').length;
const exceptions = (await call('GET', '/v1/exceptions?status=open&limit=200')).items.length;
const resolution = [...seen.values()]
  .map(({ time, outcome }) => results.get(outcome)?.status === 'applied' ? results.get(outcome).updated - time : null)
  .filter((ms) => ms !== null)
  .sort((a, b) => a - b);
const p50 = resolution.length ? resolution[Math.floor((resolution.length - 1) / 2)] : null;
const rate = seen.size ? (100 * applied) / seen.size : 0;

console.log('');
console.log('Coregate quickstart: the closed loop');
console.log(`  triggers seen            ${seen.size} of ${expected} payment.failed (polled from core_banking.debit_orders)`);
console.log(`  outcomes applied         ${applied} arrangement.promise_to_pay written back to core_banking.arrangements`);
console.log(`  exceptions               ${exceptions} open`);
console.log(`  writeback success rate   ${rate.toFixed(1)} %`);
console.log(`  time to resolution p50   ${p50 === null ? 'n/a' : `${p50} ms`} (trigger emitted -> writeback applied)`);
console.log('  look next                GET /v1/adapters, GET /metrics, GET /v1/exceptions');
process.exit(seen.size === expected && applied === expected ? 0 : 1);
