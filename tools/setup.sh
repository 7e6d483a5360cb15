#!/usr/bin/env bash
# Installs every system dependency Coregate needs to build, test and run, by Debian package name.
# Idempotent: when everything is present it returns in about a second without touching apt.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  # DESIGN §2 libraries (Boost 1.81: -all-dev leaves json and url out)
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libspdlog-dev libfmt-dev libpoco-dev libssl-dev libsqlite3-dev libpq-dev
  libxml2-dev libxmlsec1-dev unixodbc unixodbc-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # real peers for integration tests: ODBC drivers and servers, promtool, a COBOL compiler
  libsqliteodbc odbc-postgresql odbc-mariadb postgresql mariadb-server sqlite3 prometheus gnucobol3 curl openssl nginx-light wrk
  binutils passwd util-linux
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Boost 1.74 -dev packages conflict with 1.81; remove them if an image carries them.
  old=$(dpkg-query -W -f='${Package} ${Status}\n' 'libboost*1.74-dev' 2>/dev/null | awk '/install ok installed/{print $1}' || true)
  [ -z "$old" ] || $sudo apt-get remove -y -qq $old
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all system packages present"
fi

# Test peers from npm (pinned by tests/peers/package-lock.json). Reinstalled only when the lockfile
# changes, so a second run costs nothing.
peers=tests/peers
if [ -f "$peers/package-lock.json" ]; then
  if ! command -v npm >/dev/null; then
    echo "setup: npm not found; installing nodejs from Debian"
    $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  stamp="$peers/node_modules/.coregate-lock-sha256"
  want=$(sha256sum "$peers/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing npm test peers ($peers)"
    npm ci --prefix "$peers" --no-audit --no-fund --loglevel=error >/dev/null
    echo "$want" >"$stamp"
  fi
fi
