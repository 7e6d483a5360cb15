#include "gateway/engine/attempt_verdict.h"

namespace coregate::engine {
namespace {

Verdict retry_or_fail(const AttemptFacts& facts, const RetryPolicy& retry, RandomSource& random,
                      std::string detail) {
  Verdict v;
  const RetryDecision decision = next_retry(retry, facts.attempts, facts.first_attempt, facts.now,
                                            facts.result.retry_after, random);
  v.detail = std::move(detail);
  if (decision.retry) {
    v.kind = Verdict::Kind::kRetry;
    v.delay = decision.delay;
    return v;
  }
  v.kind = Verdict::Kind::kFailed;
  v.cause = facts.attempts >= retry.max_attempts ? store::ExceptionCause::kRetriesExhausted
                                                 : store::ExceptionCause::kMaxAgeExceeded;
  if (!decision.reason.empty()) v.detail += (v.detail.empty() ? "" : "; ") + decision.reason;
  return v;
}

}  // namespace

Verdict judge_attempt(const AttemptFacts& facts, const RetryPolicy& retry, OnAmbiguous on_ambiguous,
                      RandomSource& random) {
  using sdk::WriteClass;
  const auto& r = facts.result;
  Verdict v;
  v.detail = r.diagnostic;
  switch (r.write_class) {
    case WriteClass::kApplied:
    case WriteClass::kAlreadyApplied:
      v.kind = Verdict::Kind::kApplied;
      v.reference = r.reference;
      v.duplicate = r.write_class == WriteClass::kAlreadyApplied;
      return v;
    case WriteClass::kRejected:
      v.kind = Verdict::Kind::kFailed;
      v.cause = store::ExceptionCause::kRejected;
      return v;
    case WriteClass::kRetryable:
      return retry_or_fail(facts, retry, random, r.diagnostic);
    case WriteClass::kAmbiguous:
      break;
  }
  std::string detail = r.diagnostic;
  if (facts.probe) {
    const auto& probe = *facts.probe;
    detail += std::string(detail.empty() ? "" : "; ") +
              "probe: " + std::string(sdk::to_string(probe.state));
    if (!probe.diagnostic.empty()) detail += " (" + probe.diagnostic + ")";
    if (probe.state == sdk::ProbeState::kApplied) {
      v.kind = Verdict::Kind::kApplied;
      v.reference = probe.reference;
      v.detail = std::move(detail);
      return v;
    }
    if (probe.state == sdk::ProbeState::kNotFound) {
      return retry_or_fail(facts, retry, random, std::move(detail));
    }
    if (on_ambiguous == OnAmbiguous::kException) {
      Verdict again = retry_or_fail(facts, retry, random, std::move(detail));
      if (again.kind == Verdict::Kind::kRetry) {
        again.still_in_doubt = true;
      } else {
        again.cause = store::ExceptionCause::kAmbiguousUnresolved;
      }
      return again;
    }
  } else {
    detail += std::string(detail.empty() ? "" : "; ") + "no probe";
  }
  if (on_ambiguous == OnAmbiguous::kRetry) {
    return retry_or_fail(facts, retry, random,
                         std::move(detail) + "; retrying (target dedups by key)");
  }
  v.kind = Verdict::Kind::kFailed;
  v.cause = store::ExceptionCause::kAmbiguousUnresolved;
  v.detail = std::move(detail);
  return v;
}

}  // namespace coregate::engine
