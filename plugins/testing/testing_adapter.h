// The testing adapter: a real adapter through the real ABI whose "target" is an in-memory
// (optionally journaled) record of applied writes, with latency and fault injection that a test
// can change while the gateway runs. See docs/adapter-guide.md for the config and the contract.
//
// Behaviour without faults: a new idempotency key is applied and answered APPLIED with reference
// <reference_prefix><seq>; a repeat answers ALREADY_APPLIED with the original reference; probe
// answers APPLIED with that reference or NOT_FOUND.
// Thread-safety: write, probe, health and inbound may run concurrently from any threads.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <coregate/sdk/adapter.h>
#include <coregate/sdk/config.h>
#include <coregate/sdk/host.h>

#include "plugins/testing/control_file.h"
#include "plugins/testing/fault_plan.h"
#include "plugins/testing/record_store.h"
#include "plugins/testing/settings.h"

namespace coregate::plugins::testing {

class TestingAdapter : public sdk::Adapter {
 public:
  // Throws sdk::ConfigError naming the key for a bad config, std::runtime_error for a journal
  // that cannot be opened or is corrupt.
  TestingAdapter(const sdk::AdapterConfig& config, sdk::Host host);

  sdk::WriteResult write(const sdk::WriteRequest& request) override;
  sdk::ProbeResult probe(const sdk::ProbeRequest& request) override;
  sdk::InboundReply inbound(const sdk::InboundRequest& request) override;
  sdk::HealthResult health(const sdk::HealthRequest& request) override;

 private:
  struct Counters {
    std::atomic<uint64_t> writes{0}, applied{0}, already_applied{0}, retryable{0}, rejected{0},
        ambiguous{0}, thrown{0}, hangs{0}, probes{0}, health_checks{0};
  };

  // The plan in force, after picking up a changed control file.
  std::shared_ptr<FaultPlan> current_plan();
  // Replaces the runtime settings with the static ones overlaid by `control`; returns the new
  // generation. Throws sdk::ConfigError naming the key.
  uint64_t install(const boost::json::object& control);
  void sleep_for(std::chrono::milliseconds delay) const;
  void hang(const FaultPlan& plan, std::chrono::system_clock::time_point deadline,
            std::chrono::milliseconds fallback);
  void note_fault(Hook hook, Fault fault) const;
  std::string stats_json() const;

  std::string name_;
  sdk::Host host_;
  StaticSettings static_;
  boost::json::object static_runtime_;  // the runtime keys as the static config set them
  RecordStore store_;
  std::optional<ControlFile> control_file_;
  mutable std::mutex mutex_;  // guards plan_, generation_, control_error_, probe_counts_
  std::shared_ptr<FaultPlan> plan_;
  uint64_t generation_ = 0;
  std::string control_error_;
  std::unordered_map<std::string, uint64_t> probe_counts_;
  Counters counters_;
};

}  // namespace coregate::plugins::testing
