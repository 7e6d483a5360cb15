#include "gateway/engine/plan_table.h"

#include <algorithm>

namespace coregate::engine {

PlanTable PlanTable::from_config(const config::ConfigNode& root,
                                 const mapping::MappingRegistry& mappings) {
  PlanTable table;
  auto section = root.child_if("plans");
  if (!section) return table;
  table.configured_ = true;
  std::vector<std::string> adapters;
  if (auto configured = root.child_if("adapters")) {
    for (const auto& [name, block] : configured->members()) adapters.push_back(name);
  }
  for (const auto& [pattern, node] : section->members()) {
    Plan plan;
    plan.pattern = pattern;
    if (pattern.empty() ||
        (pattern != "*" && pattern.find('*') != std::string::npos &&
         (pattern.size() < 3 || !pattern.ends_with(".*") ||
          pattern.substr(0, pattern.size() - 1).find('*') != std::string::npos))) {
      section->fail(pattern, "a plan key is an outcome type, a \"prefix.*\" pattern or \"*\"");
    }
    const auto steps = section->items(pattern);
    if (steps.empty()) section->fail(pattern, "a plan needs at least one step");
    for (const auto& step : steps) {
      step.allow_only({"adapter", "mapping", "policy"});
      StepSpec spec;
      spec.adapter = step.string("adapter");
      if (std::find(adapters.begin(), adapters.end(), spec.adapter) == adapters.end()) {
        step.fail("adapter", "no adapter named '" + spec.adapter + "' is configured");
      }
      spec.mapping = step.string_or("mapping", "");
      if (!spec.mapping.empty()) {
        auto compiled = mappings.find(spec.mapping);
        if (!compiled) {
          step.fail("mapping",
                    "no mapping named '" + spec.mapping + "' in the configured mapping folders");
        }
        if (!compiled->supports(mapping::Direction::to_system)) {
          step.fail("mapping", "mapping '" + spec.mapping + "' has no rule toward the system");
        }
      }
      if (auto policy = step.child_if("policy")) {
        policy->allow_only({"max_attempts", "max_age"});
        if (policy->has("max_attempts"))
          spec.max_attempts = static_cast<uint32_t>(policy->integer("max_attempts", 1, 1000));
        if (policy->has("max_age")) spec.max_age = policy->duration("max_age");
      }
      plan.steps.push_back(std::move(spec));
    }
    table.patterns_.push_back(pattern);
    if (pattern == "*") {
      table.catch_all_ = std::move(plan);
    } else if (pattern.ends_with(".*")) {
      table.prefixes_.emplace_back(pattern.substr(0, pattern.size() - 1), std::move(plan));
    } else {
      table.exact_.emplace(pattern, std::move(plan));
    }
  }
  std::stable_sort(table.prefixes_.begin(), table.prefixes_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return table;
}

const Plan* PlanTable::resolve(std::string_view type) const {
  if (auto it = exact_.find(type); it != exact_.end()) return &it->second;
  for (const auto& [prefix, plan] : prefixes_) {
    if (type.starts_with(prefix)) return &plan;
  }
  return catch_all_ ? &*catch_all_ : nullptr;
}

}  // namespace coregate::engine
