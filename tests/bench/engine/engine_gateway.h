// What both engine benchmarks share: the gateway config of a scenario (one testing adapter
// "core" behind the plan "*"), and reading the engine's own figures back from the running
// gateway (/v1/adapters/core and /metrics).
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace coregate::bench {

inline constexpr char kBenchToken[] = "engine-bench-token-0123456789";

struct EngineScenario {
  std::filesystem::path directory;  // store file (and journal) go here
  bool plans = true;                // false: outcomes are stored, never written back (intake alone)
  int http_threads = 0;             // 0: one per core
  int adapter_concurrency = 64;     // the lane's worker threads (bulkhead)
  // The testing adapter's config block (latency_ms, faults, journal, ...); keep_records false and
  // inbound_control false are added unless present.
  boost::json::object testing;
  // Engine keys of the adapter block (retry, breaker, timeout, ...), merged over the defaults of
  // examples/testing/coregate.json.
  boost::json::object adapter_overrides;
};

// The whole coregate.json of the scenario.
std::string engine_config_json(const EngineScenario& scenario);

// The fields of GET /v1/adapters/core the benchmarks follow.
struct AdapterFigures {
  uint64_t applied = 0, failed = 0, retries = 0;
  uint64_t queue_depth = 0, in_flight = 0;
  double oldest_pending_age_seconds = 0;
  std::string state, breaker;
};

// Reads /v1/adapters/<name>; nullopt when the gateway does not answer 200.
std::optional<AdapterFigures> read_adapter(uint16_t port, const std::string& name);

// Sum of every sample of a metric family in /metrics (e.g. "coregate_unfinished_outcomes", or
// "coregate_writeback_attempts_total" over all labels); nullopt when absent or not answered.
std::optional<double> read_metric(uint16_t port, const std::string& family);

}  // namespace coregate::bench
