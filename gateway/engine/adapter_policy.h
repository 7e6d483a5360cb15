// The engine's keys of an adapter block (plugin_host/adapter_set.h lists them):
//   "core": {"plugin": "...", "config": {...},
//     "concurrency": 8,            // bulkhead: worker threads calling this adapter, 1..1024
//     "timeout": "30s",            // deadline handed to each write/probe call
//     "retry": {...},              // retry_policy.h
//     "breaker": {...},            // circuit_breaker.h
//     "dedups_by_key": false,      // the target itself refuses a second write with the same key
//     "on_ambiguous": "exception", // after AMBIGUOUS and a probe that cannot settle it:
//                                  // "retry" (only allowed when dedups_by_key) or "exception"
//     "health_interval": "30s", "health_timeout": "5s"}
#pragma once

#include <chrono>
#include <cstdint>

#include "gateway/config/config_node.h"
#include "gateway/engine/circuit_breaker.h"
#include "gateway/engine/retry_policy.h"

namespace coregate::engine {

enum class OnAmbiguous { kRetry, kException };

struct AdapterPolicy {
  uint32_t concurrency = 8;
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  RetryPolicy retry;
  BreakerPolicy breaker;
  bool dedups_by_key = false;
  OnAmbiguous on_ambiguous = OnAmbiguous::kException;
  std::chrono::milliseconds health_interval{std::chrono::seconds(30)};
  std::chrono::milliseconds health_timeout{std::chrono::seconds(5)};

  // Throws config::ConfigError naming the key (e.g. on_ambiguous "retry" without dedups_by_key:
  // retrying a write that may have landed doubles it unless the target refuses the second one).
  static AdapterPolicy from_config(const config::ConfigNode& adapter_block);
};

}  // namespace coregate::engine
