#include "plugins/testing/settings.h"

#include <utility>

namespace coregate::plugins::testing {
namespace {

struct NamedFault {
  std::string_view name;
  Fault fault;
};

constexpr NamedFault kFaultNames[] = {
    {"none", Fault::kNone},
    {"already_applied", Fault::kAlreadyApplied},
    {"retryable", Fault::kRetryable},
    {"rejected", Fault::kRejected},
    {"ambiguous_applied", Fault::kAmbiguousApplied},
    {"ambiguous_not_applied", Fault::kAmbiguousNotApplied},
    {"ambiguous", Fault::kAmbiguous},
    {"hang", Fault::kHang},
    {"hang_applied", Fault::kHangApplied},
    {"throw", Fault::kThrow},
    {"unknown", Fault::kUnknown},
};

constexpr int64_t kMaxDelayMs = 600'000;  // ten minutes: longer is a typo, not a test

std::string names_of(Hook hook) {
  std::string out;
  for (Fault f : faults_for(hook)) {
    if (!out.empty()) out += ", ";
    out += fault_name(f);
  }
  return out;
}

std::optional<Hook> hook_from_name(std::string_view name) {
  if (name == "write") return Hook::kWrite;
  if (name == "probe") return Hook::kProbe;
  if (name == "health") return Hook::kHealth;
  return std::nullopt;
}

bool allowed(Hook hook, Fault fault) {
  if (fault == Fault::kNone) return true;
  for (Fault f : faults_for(hook)) {
    if (f == fault) return true;
  }
  return false;
}

// {"retryable": 0.1, ...} for one hook; rates must lie in [0, 1] and sum to at most 1.
std::vector<RateEntry> parse_rates(const sdk::AdapterConfig& faults, Hook hook) {
  std::string_view key = hook_name(hook);
  if (!faults.has(key)) return {};
  sdk::AdapterConfig rates = faults.section(key);
  std::vector<RateEntry> out;
  double sum = 0;
  for (Fault f : faults_for(hook)) {
    std::string_view name = fault_name(f);
    if (!rates.has(name)) continue;
    double rate = rates.number(name);
    if (!(rate >= 0 && rate <= 1)) throw rates.error(name, "a probability from 0 to 1");
    sum += rate;
    if (rate > 0) out.push_back({f, rate});
  }
  for (const auto& entry : rates.values()) {
    auto fault = fault_from_name(entry.key());
    if (!fault || !allowed(hook, *fault) || *fault == Fault::kNone) {
      throw faults.error(std::string(key) + "." + std::string(entry.key()),
                         "one of the " + std::string(key) + " faults: " + names_of(hook));
    }
  }
  if (sum > 1.0 + 1e-9) throw faults.error(key, "rates that add up to at most 1");
  return out;
}

FaultRule parse_rule(const sdk::AdapterConfig& c) {
  c.expect_only({"hook", "key", "key_prefix", "subject", "subject_prefix", "outcome_type", "fault",
                 "times", "diagnostic", "retry_after_ms"});
  FaultRule rule;
  if (c.has("hook")) {
    auto hook = hook_from_name(c.string("hook"));
    if (!hook) throw c.error("hook", "\"write\", \"probe\" or \"health\"");
    rule.hook = *hook;
  }
  auto optional_string = [&](std::string_view key) -> std::optional<std::string> {
    if (!c.has(key)) return std::nullopt;
    return c.string(key);
  };
  rule.key = optional_string("key");
  rule.key_prefix = optional_string("key_prefix");
  rule.subject = optional_string("subject");
  rule.subject_prefix = optional_string("subject_prefix");
  rule.outcome_type = optional_string("outcome_type");
  // A probe sees only the key; health sees nothing. A field the hook cannot match would make the
  // rule silently dead, so refuse it.
  if (rule.hook != Hook::kWrite) {
    for (std::string_view k : {"subject", "subject_prefix", "outcome_type"}) {
      if (c.has(k)) throw c.error(k, "absent: only write requests carry it");
    }
  }
  if (rule.hook == Hook::kHealth) {
    for (std::string_view k : {"key", "key_prefix"}) {
      if (c.has(k)) throw c.error(k, "absent: health checks carry no key");
    }
  }
  std::string name = c.string("fault");
  auto fault = fault_from_name(name);
  if (!fault || !allowed(rule.hook, *fault)) {
    throw c.error("fault", "one of the " + std::string(hook_name(rule.hook)) + " faults: none, " +
                               names_of(rule.hook));
  }
  rule.fault = *fault;
  rule.times = c.integer_in_or("times", 1, INT64_MAX, -1);
  rule.diagnostic = c.string_or("diagnostic", "");
  rule.retry_after_ms = c.integer_in_or("retry_after_ms", 0, kMaxDelayMs, -1);
  return rule;
}

sdk::HealthState parse_health(const sdk::AdapterConfig& c) {
  std::string value = c.string_or("health", "healthy");
  if (value == "healthy") return sdk::HealthState::kHealthy;
  if (value == "degraded") return sdk::HealthState::kDegraded;
  if (value == "unhealthy") return sdk::HealthState::kUnhealthy;
  throw c.error("health", "\"healthy\", \"degraded\" or \"unhealthy\"");
}

}  // namespace

std::string_view fault_name(Fault fault) {
  for (const auto& n : kFaultNames) {
    if (n.fault == fault) return n.name;
  }
  return "none";
}

std::optional<Fault> fault_from_name(std::string_view name) {
  for (const auto& n : kFaultNames) {
    if (n.name == name) return n.fault;
  }
  return std::nullopt;
}

const std::vector<Fault>& faults_for(Hook hook) {
  static const std::vector<Fault> write = {Fault::kAlreadyApplied,
                                           Fault::kRetryable,
                                           Fault::kRejected,
                                           Fault::kAmbiguousApplied,
                                           Fault::kAmbiguousNotApplied,
                                           Fault::kAmbiguous,
                                           Fault::kHang,
                                           Fault::kHangApplied,
                                           Fault::kThrow};
  static const std::vector<Fault> probe = {Fault::kUnknown, Fault::kHang, Fault::kThrow};
  static const std::vector<Fault> health = {Fault::kHang, Fault::kThrow};
  switch (hook) {
    case Hook::kWrite:
      return write;
    case Hook::kProbe:
      return probe;
    case Hook::kHealth:
      return health;
  }
  return write;
}

std::string_view hook_name(Hook hook) {
  switch (hook) {
    case Hook::kWrite:
      return "write";
    case Hook::kProbe:
      return "probe";
    case Hook::kHealth:
      return "health";
  }
  return "write";
}

RuntimeSettings RuntimeSettings::parse(const sdk::AdapterConfig& c) {
  RuntimeSettings s;
  s.latency_ms = c.integer_in_or("latency_ms", 0, kMaxDelayMs, 0);
  s.jitter_ms = c.integer_in_or("jitter_ms", 0, kMaxDelayMs, 0);
  s.health = parse_health(c);
  s.health_detail = c.string_or("health_detail", "");
  if (c.has("faults")) {
    sdk::AdapterConfig faults = c.section("faults");
    faults.expect_only({"write", "probe", "health", "rules", "retry_after_ms", "hang_ms"});
    s.write_rates = parse_rates(faults, Hook::kWrite);
    s.probe_rates = parse_rates(faults, Hook::kProbe);
    s.health_rates = parse_rates(faults, Hook::kHealth);
    if (faults.has("rules")) {
      for (const auto& rule : faults.sections("rules")) s.rules.push_back(parse_rule(rule));
    }
    s.retry_after_ms = faults.integer_in_or("retry_after_ms", 0, kMaxDelayMs, 0);
    s.hang_ms = faults.integer_in_or("hang_ms", 0, kMaxDelayMs, 0);
  }
  return s;
}

StaticSettings StaticSettings::parse(const sdk::AdapterConfig& c) {
  StaticSettings s;
  s.seed = static_cast<uint64_t>(c.integer_in_or("seed", 0, INT64_MAX, 0));
  s.journal = c.string_or("journal", "");
  s.journal_fsync = c.boolean_or("journal_fsync", true);
  s.control_file = c.string_or("control_file", "");
  s.reference_prefix = c.string_or("reference_prefix", c.instance_name() + "-");
  s.keep_records = c.boolean_or("keep_records", true);
  s.inbound_control = c.boolean_or("inbound_control", true);
  return s;
}

}  // namespace coregate::plugins::testing
