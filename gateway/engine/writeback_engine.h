// The writeback engine (DESIGN §4 "Writeback", "Exceptions"): takes every accepted outcome to
// `applied` at each step's adapter exactly once in effect, or to the exception queue with the
// reason.
//
// Scheduling:
//  - Per subject strict FIFO: the outcomes of one subject are written one at a time in commit
//    order (all steps of the earlier outcome finish before the next one starts); subjects run in
//    parallel. A subject's queue moves on when its head is applied or has failed into the
//    exception queue, so a poison outcome holds back only later outcomes of its own subject.
//  - Per adapter a lane: a bulkhead of `concurrency` worker threads (blocking adapter calls never
//    run on I/O threads), a circuit breaker, and a bounded claim window.
//  - Every attempt is claimed in the store (lease + attempt row, group-committed) before the
//    adapter is called, and finished in the store before the subject moves on. After a crash a
//    leased step is in doubt: it is probed (or handled by on_ambiguous) before anything else.
//  - Retries wait on timers (next_attempt_at persisted), never in sleeping workers.
//
// Thread-safety: every public method may be called from any thread. Store callbacks arrive on
// the store's writer thread and only update state under the engine's lock.
// Lifetime: everything in Dependencies must outlive the engine; call stop() before the store
// stops (stop drains in-flight attempts and waits for their finishing commits).
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/engine/clock.h"
#include "gateway/engine/outcome_result_event.h"
#include "gateway/engine/plan_table.h"
#include "gateway/engine/random_source.h"
#include "gateway/mapping/mapping_registry.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/plugin_host/adapter_set.h"
#include "gateway/store/outcome_store.h"

namespace coregate::engine {

struct EngineOptions {
  // Outcome bodies kept in memory for dispatch; past this budget they are read back from the
  // store when their turn comes, so a large backlog (a target down for hours) costs little RAM.
  size_t payload_budget_bytes = 8u << 20;
  // Claims ahead of the workers, per lane: a multiple of its concurrency, and at least a minimum
  // so a lane with few workers still fills the group commit. A crash leaves at most this many
  // steps in doubt per lane (each settled by probe at the next start).
  uint32_t claim_window_factor = 4;
  uint32_t min_claim_window = 64;
  // Success ratio window (terminal step results) behind /v1/adapters and the metric.
  size_t success_window = 1000;
};

struct Dependencies {
  store::OutcomeStore& store;
  const plugin_host::AdapterSet& adapters;
  const PlanTable& plans;
  const mapping::MappingRegistry& mappings;
  metrics::MetricsRegistry& metrics;
  const Clock& clock;
  RandomSource& random;
  // Told after an outcome's final state commits (coregate.outcome.applied/failed; the trigger side
  // also measures the time from trigger to writeback from it). May be empty. Must be quick.
  std::function<void(const OutcomeResultEvent&)> on_result;
};

// What /v1/adapters shows for one adapter.
struct AdapterStatus {
  std::string name;
  std::string plugin;
  std::string state;                 // healthy | degraded | unhealthy
  std::vector<std::string> reasons;  // why not healthy
  std::string health_state;          // the adapter's own health hook verdict
  std::string health_detail;
  int64_t health_checked_at_ms = 0;
  std::string breaker_state;  // closed | open | half_open
  int64_t breaker_reopens_at_ms = 0;
  size_t queue_depth = 0;  // steps waiting for this adapter (ready, retry timers, claimed)
  size_t in_flight = 0;
  double oldest_pending_age_seconds = 0;
  std::optional<double> success_ratio;  // over the recent window; none before any result
  std::string last_error;
  int64_t last_error_at_ms = 0;
  uint64_t applied = 0, failed = 0, retries = 0, duplicates = 0;
};

class WritebackEngine {
 public:
  // Builds a lane per configured adapter (AdapterPolicy from its block). Throws
  // config::ConfigError for a bad engine key in an adapter block.
  WritebackEngine(Dependencies deps, EngineOptions options = {});
  ~WritebackEngine();  // stop()

  // Reads every unfinished outcome back from the store (in-doubt attempts first), then starts
  // the workers, timers and health checks. Call once, after the store is open.
  void start();
  // Stops claiming, lets running attempts finish and commit, stops threads. Idempotent.
  void stop();

  // The plan's steps for a type (for intake to store with the outcome), or nullopt when no plan
  // routes it. When no "plans" section is configured every type gets an empty list (stored, not
  // written back).
  std::optional<std::vector<store::NewStep>> steps_for(std::string_view type) const;
  bool plans_configured() const;

  // The store's accepted listener: a newly committed outcome enters its subject's queue.
  void on_accepted(int64_t seq, store::NewOutcome&& outcome);

  // After a committed replay: the outcome's steps from the replayed one on are pending again.
  void requeue(int64_t outcome_seq);

  std::vector<AdapterStatus> adapter_statuses() const;
  // Samples the gauges (queue depth, in-flight, breaker, oldest age, success ratio) into the
  // registry; call before rendering /metrics.
  void collect_metrics();
  std::optional<AdapterStatus> adapter_status(std::string_view name) const;

  // Unfinished outcomes held (for tests and the benchmark).
  size_t unfinished() const;
  // Blocks until no outcome is unfinished or `timeout` passes; true when drained (tests).
  bool wait_idle(std::chrono::milliseconds timeout) const;

 public:
  struct Impl;  // public so the implementation's helpers can name it; opaque to callers

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::engine
