// The testing adapter's settings, split by when they may change:
//   StaticSettings  fixed for the adapter's life (seed, journal, control file ...);
//   RuntimeSettings latency, faults and health, which a control file or an inbound control request
//                   may replace while the gateway runs.
// Parsing throws coregate::sdk::ConfigError naming the key path; it is used at create time and
// when a control document arrives (never on the write path itself).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <coregate/sdk/config.h>
#include <coregate/sdk/results.h>

namespace coregate::plugins::testing {

// Which hook a fault applies to.
enum class Hook { kWrite, kProbe, kHealth };

// What an injected fault makes a hook do. Write faults first, then probe and health ones.
enum class Fault {
  kNone,                 // behave normally (a rule with "fault": "none" exempts keys from rates)
  kAlreadyApplied,       // record the write if new, answer ALREADY_APPLIED with its reference
  kRetryable,            // not applied; answer RETRYABLE (with retry_after_ms if set)
  kRejected,             // not applied; answer REJECTED
  kAmbiguousApplied,     // applied (journaled), but answer AMBIGUOUS: the answer was "lost"
  kAmbiguousNotApplied,  // not applied, answer AMBIGUOUS: the request was "lost"
  kAmbiguous,            // a seeded coin picks one of the two above, per key and attempt
  kHang,                 // not applied; sleep past the deadline, then answer AMBIGUOUS
  kHangApplied,          // applied; sleep past the deadline, then answer AMBIGUOUS
  kThrow,                // throw std::runtime_error from the hook (the SDK barrier catches it)
  kUnknown,              // probe only: answer UNKNOWN
};

// Config spelling of each fault ("ambiguous_applied") and back.
std::string_view fault_name(Fault fault);
std::optional<Fault> fault_from_name(std::string_view name);
// Faults each hook accepts, in the fixed order rates are drawn in.
const std::vector<Fault>& faults_for(Hook hook);
std::string_view hook_name(Hook hook);

// A fault aimed at particular requests. Every match field present must match; none = all.
struct FaultRule {
  Hook hook = Hook::kWrite;
  std::optional<std::string> key, key_prefix, subject, subject_prefix, outcome_type;
  Fault fault = Fault::kNone;
  int64_t times = -1;           // per key: hit only the first `times` matching calls; -1 = always
  std::string diagnostic;       // replaces the default diagnostic when not empty
  int64_t retry_after_ms = -1;  // -1: use faults.retry_after_ms
};

struct RateEntry {
  Fault fault;
  double rate;  // probability in [0, 1]
};

struct RuntimeSettings {
  int64_t latency_ms = 0;  // fixed delay before write and probe answer
  int64_t jitter_ms = 0;   // plus a seeded uniform delay in [0, jitter_ms]
  sdk::HealthState health = sdk::HealthState::kHealthy;
  std::string health_detail;
  std::vector<RateEntry> write_rates, probe_rates, health_rates;  // drawn in faults_for() order
  std::vector<FaultRule> rules;                                   // first match wins
  int64_t retry_after_ms = 0;  // attached to injected RETRYABLE answers
  int64_t hang_ms = 0;         // 0: hang until the request's deadline plus one second

  // Reads the runtime keys of `config` (latency_ms, jitter_ms, health, health_detail, faults).
  static RuntimeSettings parse(const sdk::AdapterConfig& config);
};

struct StaticSettings {
  uint64_t seed = 0;
  std::string journal;           // empty: memory only
  bool journal_fsync = true;     // false only for benchmarks that do not test durability
  std::string control_file;      // empty: no file watched
  std::string reference_prefix;  // references are <prefix><seq>
  bool keep_records = true;      // keep every applied record in memory for inbound "records"
  bool inbound_control = true;   // accept {"control": ...} and queries through inbound

  static StaticSettings parse(const sdk::AdapterConfig& config);
};

// The keys a control document may carry (the runtime ones).
inline constexpr std::array<std::string_view, 5> kRuntimeKeys = {
    "latency_ms", "jitter_ms", "health", "health_detail", "faults"};

}  // namespace coregate::plugins::testing
