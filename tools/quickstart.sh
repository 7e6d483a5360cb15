#!/usr/bin/env bash
# Sets up, builds and runs the quickstart deployment (examples/quickstart) on the embedded default,
# prints what happened, and exits leaving nothing running. The closed loop: a SQLite "core banking"
# database (examples/quickstart/core_banking.sql) is polled through the ODBC adapter for returned
# debit orders -> payment.failed triggers; a scripted workflow (workflow.mjs) pulls them and posts
# arrangement.promise_to_pay outcomes; the engine writes each back into the database's arrangements
# table through the same adapter, exactly once.
#
#   tools/quickstart.sh                  run, report, stop
#   tools/quickstart.sh --keep-running   leave the gateway up; prints where to look and how to stop
#   tools/quickstart.sh --stop           stop a gateway left running by --keep-running
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

keep=0
case "${1:-}" in
  "") ;;
  --keep-running) keep=1 ;;
  --stop)
    if [ -f var/quickstart/gateway.pid ] && kill -0 "$(cat var/quickstart/gateway.pid)" 2>/dev/null; then
      kill -TERM "$(cat var/quickstart/gateway.pid)"
      echo "quickstart: sent SIGTERM to gateway $(cat var/quickstart/gateway.pid)"
    else
      echo "quickstart: no quickstart gateway is running"
    fi
    exit 0 ;;
  -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
  *) echo "tools/quickstart.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

build=${COREGATE_BUILD_DIR:-build}
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
jobs=${COREGATE_JOBS:-$(nproc)}
say() { echo "quickstart: $*"; }

say "installing system dependencies (tools/setup.sh)"
bash tools/setup.sh

say "building the gateway and its plugins into $build/"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs" --target coregate coregate_odbc >/dev/null

state=var/quickstart
mkdir -p "$state"
if [ -f "$state/gateway.pid" ] && kill -0 "$(cat "$state/gateway.pid")" 2>/dev/null; then
  say "a quickstart gateway is already running (pid $(cat "$state/gateway.pid")); stop it with tools/quickstart.sh --stop"
  exit 1
fi
rm -f "$state/port" "$state/gateway.log"
config=examples/quickstart/coregate.json
# A fresh core banking database and gateway state on every run, so the loop starts from the seed.
rm -f "$state"/coregate.db* "$state"/triggers.db* "$state"/core_banking.db*
sqlite3 "$state/core_banking.db" <examples/quickstart/core_banking.sql
export COREGATE_QUICKSTART_DB="$root/$state/core_banking.db"
returned=$(sqlite3 "$state/core_banking.db" "SELECT count(*) FROM debit_orders WHERE status = 'returned'")
say "core banking database $state/core_banking.db: $returned returned debit orders waiting for a case"
# The workflow's API token: generated per run unless given; the config stores only its hash
# (auth.tokens[].token_env hashes it at load).
export COREGATE_QUICKSTART_TOKEN=${COREGATE_QUICKSTART_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}

say "checking the config ($config)"
"$build/bin/coregate" check --config "$config"

say "starting the gateway on a free loopback port"
"$build/bin/coregate" serve --config "$config" --listen 127.0.0.1:0 --port-file "$state/port" \
  --log-format json </dev/null >"$state/gateway.log" 2>&1 &
pid=$!
echo "$pid" >"$state/gateway.pid"

stop_gateway() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  rm -f "$state/gateway.pid"
}
[ "$keep" -eq 1 ] || trap stop_gateway EXIT

for _ in $(seq 1 100); do
  [ -s "$state/port" ] && break
  kill -0 "$pid" 2>/dev/null || { say "the gateway exited during start-up; its log:"; cat "$state/gateway.log"; exit 1; }
  sleep 0.1
done
[ -s "$state/port" ] || { say "the gateway did not report a port within 10 s; its log:"; cat "$state/gateway.log"; exit 1; }
port=$(cat "$state/port")
base="http://127.0.0.1:$port"

say "gateway up at $base (pid $pid)"
health=$(curl -sS --max-time 5 "$base/healthz")
say "GET /healthz -> $health"
ready=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "$base/readyz" || true)
say "GET /readyz -> HTTP $ready"

# One outcome the way a workflow engine posts it: accepted (202) only once it is on disk, then the
# same key again, which replays the stored answer instead of accepting a second outcome.
key="\"quickstart-$(date +%s)-$$\""
post() {
  curl -sS --max-time 10 -D "$state/post.headers" -o "$state/post.json" -w '%{http_code}' -X POST "$base/v1/outcomes" \
    -H "Authorization: Bearer $COREGATE_QUICKSTART_TOKEN" -H "Content-Type: application/json" \
    -H "Idempotency-Key: $key" --data-binary @examples/quickstart/promise_to_pay.json
}
first=$(post)
outcome_id=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' "$state/post.json")
say "POST /v1/outcomes (arrangement.promise_to_pay, Idempotency-Key $key) -> HTTP $first, id $outcome_id"
again=$(post)
replayed=$(grep -ci '^idempotent-replayed: true' "$state/post.headers" || true)
same_id=$(grep -c "$outcome_id" "$state/post.json" || true)
say "the same POST again -> HTTP $again, Idempotent-Replayed: $([ "$replayed" = 1 ] && echo true || echo missing), same id: $([ "$same_id" -ge 1 ] && echo yes || echo no)"
status=$(curl -sS --max-time 5 -H "Authorization: Bearer $COREGATE_QUICKSTART_TOKEN" "$base/v1/outcomes/$outcome_id" |
  sed -n 's/.*"status":"\([^"]*\)".*/\1/p')
say "GET /v1/outcomes/$outcome_id -> status $status"
if [ "$first" != 202 ] || [ "$again" != 202 ] || [ "$replayed" != 1 ] || [ "$same_id" -lt 1 ] ||
   [ -z "$outcome_id" ] || [ -z "$status" ]; then
  say "the outcome round trip failed; the gateway log:"
  cat "$state/gateway.log"
  exit 1
fi

# The closed loop: triggers up, outcomes down, written back exactly once.
say "running the scripted workflow (examples/quickstart/workflow.mjs)"
loop=0
node examples/quickstart/workflow.mjs "$base" "$returned" 60 || loop=$?
# Loop arrangements carry the trigger's CloudEvent id; the sample outcome above carries its own.
written=$(sqlite3 "$state/core_banking.db" \
  "SELECT count(*) FROM arrangements WHERE trigger_id NOT LIKE 'core_banking:%'")
distinct=$(sqlite3 "$state/core_banking.db" \
  "SELECT count(DISTINCT trigger_id) FROM arrangements WHERE trigger_id NOT LIKE 'core_banking:%'")
ledger=$(sqlite3 "$state/core_banking.db" "SELECT count(*) FROM coregate_writeback_ledger")
say "core_banking.arrangements from the loop: $written rows for $distinct triggers; ledger entries: $ledger"
[ "$written" = "$returned" ] && [ "$distinct" = "$written" ] || loop=1
if [ "$loop" -ne 0 ]; then
  say "the closed loop did not resolve every returned debit order; the gateway log:"
  tail -n 50 "$state/gateway.log"
  exit 1
fi

echo
echo "Coregate quickstart"
echo "  gateway        $base (pid $pid)"
echo "  config         $config"
echo "  adapters       core_banking (plugin: odbc, SQLite $state/core_banking.db)"
echo "  health         $health"
echo "  outcome        $outcome_id ($status; accepted once, replayed once)"
echo "  log            $state/gateway.log"

if [ "$keep" -eq 1 ]; then
  echo
  echo "The gateway keeps running. Look at:"
  echo "  curl $base/healthz"
  echo "  curl $base/readyz"
  echo "  curl -H \"Authorization: Bearer \$COREGATE_QUICKSTART_TOKEN\" $base/v1/outcomes/$outcome_id"
  echo "  curl -H \"Authorization: Bearer \$COREGATE_QUICKSTART_TOKEN\" $base/v1/adapters"
  echo "  curl $base/metrics"
  echo "  (the token for this run: COREGATE_QUICKSTART_TOKEN=$COREGATE_QUICKSTART_TOKEN)"
  echo "Stop it with: tools/quickstart.sh --stop   (or: kill $pid)"
else
  stop_gateway
  trap - EXIT
  say "gateway stopped; nothing left running"
fi
