// What an attempt's result means for its step (DESIGN §3 "WriteResult classes"):
//   APPLIED                 -> applied
//   ALREADY_APPLIED         -> applied, counted as a duplicate
//   RETRYABLE               -> retry after a jittered backoff (retry_policy.h), or fail when the
//                              budget (attempts, age) is spent: retries_exhausted /
//                              max_age_exceeded
//   REJECTED                -> failed: rejected
//   AMBIGUOUS + probe       -> applied (probe found it) | as RETRYABLE (probe: not found)
//   AMBIGUOUS, probe unknown-> on_ambiguous retry: as RETRYABLE; exception: probe again later
//                              (still in doubt, nothing written), failed: ambiguous_unresolved
//                              once the budget is spent — a probe that cannot reach the target
//                              (it is down) is a reason to wait, not to give up
//   AMBIGUOUS, no probe     -> on_ambiguous: retry (as RETRYABLE; only for targets that dedup by
//                              key) or failed: ambiguous_unresolved
// A pure function of its inputs, so every row of that table is unit-tested with an injected clock
// and random source.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "coregate/sdk/results.h"
#include "gateway/engine/adapter_policy.h"
#include "gateway/engine/clock.h"
#include "gateway/engine/random_source.h"
#include "gateway/engine/retry_policy.h"
#include "gateway/store/engine_records.h"

namespace coregate::engine {

struct AttemptFacts {
  sdk::WriteResult result;
  std::optional<sdk::ProbeResult> probe;  // set when the adapter was probed after AMBIGUOUS
  uint32_t attempts = 1;                  // attempts in the current budget, this one included
  TimePoint first_attempt;
  TimePoint now;
};

struct [[nodiscard]] Verdict {
  enum class Kind { kApplied, kRetry, kFailed };
  Kind kind = Kind::kFailed;
  std::chrono::milliseconds delay{0};                              // kRetry
  store::ExceptionCause cause = store::ExceptionCause::kRejected;  // kFailed
  std::string reference;                                           // kApplied
  bool duplicate = false;       // kApplied through ALREADY_APPLIED
  bool still_in_doubt = false;  // kRetry: probe again next time, do not write
  std::string detail;           // the diagnostic, with the probe's verdict and the budget's reason
};

Verdict judge_attempt(const AttemptFacts& facts, const RetryPolicy& retry, OnAmbiguous on_ambiguous,
                      RandomSource& random);

}  // namespace coregate::engine
