// HTTP load generator for POST /v1/outcomes, shared by the benchmarks under tests/bench/
// (extracted from tests/bench/intake/intake_load.cc so the intake and engine benchmarks drive the
// gateway the same way).
//
// N keep-alive connections on ONE client thread (Boost.Beast), each with up to `pipeline`
// requests in flight (HTTP/1.1 pipelining; answers arrive in request order). Every request gets a
// distinct Idempotency-Key and the body the caller's `body` function builds. With `rate` > 0 the
// load is open-loop: each request has a scheduled send time and its latency is measured from that
// time, so a stalled server cannot hide its queueing (no coordinated omission).
//
// The run ends when `total_requests` have been answered (when > 0) or when `duration_s` has passed
// after the warm-up (when > 0), whichever comes first.
//
// Thread-safety: run_outcome_load blocks the calling thread and touches nothing shared; callers
// may run several loads from different threads at once.
// Errors: a connection that fails (refused, reset) stops and is counted in `errors`; nothing
// throws after the connections are established (connect failures throw boost::system_error).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace coregate::bench {

using Clock = std::chrono::steady_clock;

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string token;  // Bearer token with outcomes:write
  int connections = 64;
  int pipeline = 1;                  // requests in flight per connection
  double rate = 0;                   // requests/s over all connections; 0 = as fast as answers come
  uint64_t total_requests = 0;       // stop after this many answers; 0 = no count limit
  double duration_s = 0;             // measured time after the warm-up; 0 = no time limit
  double warmup_s = 0;               // answers to requests scheduled before this are not measured
  std::string key_prefix = "bench";  // Idempotency-Key = <prefix>-<connection>-<sequence>
  // The JSON body of a connection's sequence-th request (sequence counts from 0 per connection).
  std::function<std::string(int connection, uint64_t sequence)> body;
};

struct LoadResult {
  uint64_t sent = 0;
  uint64_t accepted = 0;               // 202, measured
  uint64_t other = 0;                  // any other status, measured
  uint64_t errors = 0;                 // connections that failed
  std::string first_other;             // status and body of the first non-202, for diagnosis
  std::vector<uint32_t> latencies_us;  // of measured 202s, in answer order (sort before use)
  Clock::time_point measure_from{};    // start of the measured interval
  Clock::time_point last_answer{};     // of a measured request
  double client_cpu_seconds = 0;       // CPU the client thread used for the run

  // Measured seconds: from the end of the warm-up to the last measured answer.
  double seconds() const;
};

// Runs the load described by `options` to completion.
[[nodiscard]] LoadResult run_outcome_load(const LoadOptions& options);

// The body intake_load has always sent: a promise-to-pay of about `body_bytes` bytes for
// `subject` (valid against tests/integration/intake/schemas).
std::string promise_to_pay_body(const std::string& subject, size_t body_bytes);

// The p-th percentile (0..100) of sorted microsecond latencies, in milliseconds; 0 when empty.
double percentile_ms(const std::vector<uint32_t>& sorted_us, double p);

}  // namespace coregate::bench
