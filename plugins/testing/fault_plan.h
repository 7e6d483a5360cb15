// Decides which fault, if any, a request meets: the first matching rule, else a seeded draw
// against the rates of that hook. One FaultPlan per runtime settings generation: a new control
// document builds a new plan, which also restarts the rules' `times` counters.
// Thread-safe: every method may be called from any number of threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plugins/testing/settings.h"

namespace coregate::plugins::testing {

struct FaultDecision {
  Fault fault = Fault::kNone;
  const FaultRule* rule = nullptr;  // the rule that chose it (owned by the plan), or null
};

class FaultPlan {
 public:
  FaultPlan(RuntimeSettings settings, uint64_t seed);

  const RuntimeSettings& settings() const { return settings_; }

  FaultDecision for_write(std::string_view key, std::string_view subject,
                          std::string_view outcome_type, uint32_t attempt);
  // probe_number counts this key's probes (1, 2, ...) so a retried probe draws again.
  FaultDecision for_probe(std::string_view key, uint64_t probe_number);
  FaultDecision for_health(uint64_t check_number);

  // For Fault::kAmbiguous: did this (key, attempt) land before the answer was lost?
  bool ambiguous_lands(std::string_view key, uint32_t attempt) const;
  // latency_ms plus the seeded jitter for this (key, attempt).
  std::chrono::milliseconds latency(std::string_view key, uint64_t attempt) const;

 private:
  bool matches(const FaultRule& rule, Hook hook, std::string_view key, std::string_view subject,
               std::string_view outcome_type) const;
  // Counts a hit of rule `index` for key; false once the rule's `times` are used up.
  bool take(size_t index, std::string_view key);
  FaultDecision decide(Hook hook, std::string_view key, std::string_view subject,
                       std::string_view outcome_type, double draw);

  RuntimeSettings settings_;
  uint64_t seed_;
  std::mutex mutex_;                                            // guards hits_
  std::vector<std::unordered_map<std::string, int64_t>> hits_;  // per rule: key -> hits so far
};

}  // namespace coregate::plugins::testing
