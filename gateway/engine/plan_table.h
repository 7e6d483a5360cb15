// Plans (DESIGN §4 "Routing and plans"): which adapters an outcome type is written to, in order.
//
//   "plans": {
//     "arrangement.promise_to_pay": [
//       {"adapter": "core", "mapping": "core-arrangement"},
//       {"adapter": "crm", "policy": {"max_attempts": 3}}],
//     "note.*": [{"adapter": "crm"}],
//     "*":      [{"adapter": "archive"}]
//   }
//
// A type is matched exactly first, then by the longest "prefix.*" pattern, then by "*". A step's
// mapping (a name in the "mappings" folders) turns the canonical outcome into the system's record;
// without one the outcome's "data" is sent as it is. "policy" narrows the adapter's retry budget
// for this step: "max_attempts", "max_age".
//
// Immutable after from_config; thread-safe to read.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/config/config_node.h"
#include "gateway/mapping/mapping_registry.h"

namespace coregate::engine {

struct StepSpec {
  std::string adapter;
  std::string mapping;  // "" = identity (send the outcome's data)
  std::optional<uint32_t> max_attempts;
  std::optional<std::chrono::milliseconds> max_age;
};

struct Plan {
  std::string pattern;  // as written in the config
  std::vector<StepSpec> steps;
};

class PlanTable {
 public:
  // Reads root.plans. Every adapter must be configured under "adapters" and every mapping must be
  // in `mappings` and able to map toward the system; errors are config::ConfigError naming
  // plans.<pattern>[i].<key>. An absent section is an empty table (configured() false).
  static PlanTable from_config(const config::ConfigNode& root,
                               const mapping::MappingRegistry& mappings);

  // The plan for `type`, or nullptr when none matches.
  const Plan* resolve(std::string_view type) const;
  bool configured() const { return configured_; }
  const std::vector<std::string>& patterns() const { return patterns_; }

 private:
  bool configured_ = false;
  std::map<std::string, Plan, std::less<>> exact_;
  std::vector<std::pair<std::string, Plan>> prefixes_;  // "a.b." -> plan, longest first
  std::optional<Plan> catch_all_;
  std::vector<std::string> patterns_;
};

}  // namespace coregate::engine
