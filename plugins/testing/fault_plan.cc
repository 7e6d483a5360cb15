#include "plugins/testing/fault_plan.h"

#include <utility>

#include "plugins/testing/seeded_draw.h"

namespace coregate::plugins::testing {
namespace {

bool starts_with(std::string_view text, const std::string& prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

FaultPlan::FaultPlan(RuntimeSettings settings, uint64_t seed)
    : settings_(std::move(settings)), seed_(seed), hits_(settings_.rules.size()) {}

bool FaultPlan::matches(const FaultRule& rule, Hook hook, std::string_view key,
                        std::string_view subject, std::string_view outcome_type) const {
  if (rule.hook != hook) return false;
  if (rule.key && *rule.key != key) return false;
  if (rule.key_prefix && !starts_with(key, *rule.key_prefix)) return false;
  if (rule.subject && *rule.subject != subject) return false;
  if (rule.subject_prefix && !starts_with(subject, *rule.subject_prefix)) return false;
  if (rule.outcome_type && *rule.outcome_type != outcome_type) return false;
  return true;
}

bool FaultPlan::take(size_t index, std::string_view key) {
  const FaultRule& rule = settings_.rules[index];
  if (rule.times < 0) return true;
  std::lock_guard lock(mutex_);
  int64_t& hits = hits_[index][std::string(key)];
  if (hits >= rule.times) return false;
  ++hits;
  return true;
}

FaultDecision FaultPlan::decide(Hook hook, std::string_view key, std::string_view subject,
                                std::string_view outcome_type, double draw) {
  for (size_t i = 0; i < settings_.rules.size(); ++i) {
    const FaultRule& rule = settings_.rules[i];
    if (matches(rule, hook, key, subject, outcome_type) && take(i, key)) {
      return {rule.fault, &rule};
    }
  }
  const std::vector<RateEntry>& rates = hook == Hook::kWrite   ? settings_.write_rates
                                        : hook == Hook::kProbe ? settings_.probe_rates
                                                               : settings_.health_rates;
  double cumulative = 0;
  for (const RateEntry& entry : rates) {
    cumulative += entry.rate;
    if (draw < cumulative) return {entry.fault, nullptr};
  }
  return {};
}

FaultDecision FaultPlan::for_write(std::string_view key, std::string_view subject,
                                   std::string_view outcome_type, uint32_t attempt) {
  double draw = seeded_draw(seed_, DrawPurpose::kWriteFault, key, attempt);
  return decide(Hook::kWrite, key, subject, outcome_type, draw);
}

FaultDecision FaultPlan::for_probe(std::string_view key, uint64_t probe_number) {
  double draw = seeded_draw(seed_, DrawPurpose::kProbeFault, key, probe_number);
  return decide(Hook::kProbe, key, {}, {}, draw);
}

FaultDecision FaultPlan::for_health(uint64_t check_number) {
  double draw = seeded_draw(seed_, DrawPurpose::kHealthFault, {}, check_number);
  return decide(Hook::kHealth, {}, {}, {}, draw);
}

bool FaultPlan::ambiguous_lands(std::string_view key, uint32_t attempt) const {
  return seeded_draw(seed_, DrawPurpose::kAmbiguousCoin, key, attempt) < 0.5;
}

std::chrono::milliseconds FaultPlan::latency(std::string_view key, uint64_t attempt) const {
  int64_t ms = settings_.latency_ms;
  if (settings_.jitter_ms > 0) {
    double draw = seeded_draw(seed_, DrawPurpose::kLatency, key, attempt);
    ms += static_cast<int64_t>(draw * static_cast<double>(settings_.jitter_ms + 1));
  }
  return std::chrono::milliseconds(ms);
}

}  // namespace coregate::plugins::testing
