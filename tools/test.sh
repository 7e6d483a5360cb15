#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite (DESIGN §6). CI runs exactly this (.ci/run).
#
#   tools/test.sh              everything: setup, gcc build + all tests, clang ASan+UBSan build of
#                              the unit tests + short libFuzzer runs
#   tools/test.sh --quick      the gcc build and its tests only (no sanitizer/fuzz build)
#   tools/test.sh --sanitize   the ASan+UBSan + fuzz build and its tests only
#   tools/test.sh -R REGEX     pass a test-name filter to ctest
#
# Environment: COREGATE_JOBS (parallel build/test jobs, default: number of cores),
# COREGATE_BUILD_DIR (default build), COREGATE_SANITIZE_DIR (default build-sanitize).
# Soak tests (label "soak") never run here; see docs/operations.md for running them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=all
ctest_filter=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --sanitize) mode=sanitize ;;
    -R) ctest_filter=(-R "$2"); shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "tools/test.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

jobs=${COREGATE_JOBS:-$(nproc)}
build=${COREGATE_BUILD_DIR:-build}
sanitize_build=${COREGATE_SANITIZE_DIR:-build-sanitize}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Paths relative to the checkout and no build-dir hashing, so a fresh clone elsewhere (CI) reuses
# what an earlier build on this machine compiled.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

started=$(date +%s)
phase() { echo; echo "==> [$(( $(date +%s) - started ))s] $*"; }

phase "setup"
bash tools/setup.sh

total_passed=0
total_failed=0
# Runs ctest in a build dir and adds its counts to the totals; never exits on failure so every
# phase reports, and the final status reflects all of them.
run_ctest() {
  local dir=$1; shift
  local log
  log=$(mktemp)
  set +e
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 600 "$@" "${ctest_filter[@]}" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  local line
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1 || true)
  if [ -n "$line" ]; then
    local failed total
    failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
    total=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
    total_passed=$((total_passed + total - failed))
    total_failed=$((total_failed + failed))
  elif [ "$rc" -ne 0 ]; then
    total_failed=$((total_failed + 1))
  fi
  rm -f "$log"
  return 0
}

if [ "$mode" != sanitize ]; then
  phase "configure + build ($build, gcc)"
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOREGATE_BUILD_TESTS=ON -DCOREGATE_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" -j "$jobs"
  phase "tests ($build)"
  run_ctest "$build" -LE soak
  if [ ${#ctest_filter[@]} -eq 0 ]; then
    # The README's other command must keep working: run it as a script or CI would.
    phase "tools/quickstart.sh (standard input closed)"
    if COREGATE_BUILD_DIR="$build" bash tools/quickstart.sh </dev/null >"$build/quickstart.log" 2>&1; then
      total_passed=$((total_passed + 1))
      tail -n 12 "$build/quickstart.log"
      echo "quickstart: passed"
    else
      total_failed=$((total_failed + 1))
      cat "$build/quickstart.log"
      echo "quickstart: FAILED"
    fi
  fi
fi

if [ "$mode" != quick ]; then
  phase "configure + build ($sanitize_build, clang, AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer)"
  CC=clang CXX=clang++ cmake -S . -B "$sanitize_build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
    -DCOREGATE_SANITIZE=ON -DCOREGATE_BUILD_FUZZ=ON -DCOREGATE_BUILD_BENCH=OFF >/dev/null
  cmake --build "$sanitize_build" -j "$jobs"
  phase "unit tests and fuzz smoke runs under ASan+UBSan ($sanitize_build)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest "$sanitize_build" -L 'unit|fuzz'
fi

phase "done in $(( $(date +%s) - started ))s"
echo "tests: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
