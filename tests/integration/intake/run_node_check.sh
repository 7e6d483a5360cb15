#!/usr/bin/env bash
# ctest wrapper: runs a Node check from tests/peers, or exits 77 (ctest "skipped") when node or the
# peers (npm ci --prefix tests/peers) are missing.
set -euo pipefail
root="$1"; shift
command -v node >/dev/null || { echo "skipped: node not installed"; exit 77; }
[ -d "$root/tests/peers/node_modules/@redocly/cli" ] || { echo "skipped: run npm ci --prefix tests/peers"; exit 77; }
exec "$@"
