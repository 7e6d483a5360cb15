// The values the writeback engine exchanges with the store (DESIGN §4 "Writeback", "Exceptions").
// Plain data. The engine decides; the store only makes each decision durable, in commit order,
// grouped with intake's acceptances into the same transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gateway/store/outcome_records.h"

namespace coregate::store {

// Why a step ended in the exception queue. Stable names (to_string) appear in the API and metrics.
enum class ExceptionCause : uint8_t {
  kRejected,             // the target refused the write for good
  kRetriesExhausted,     // max_attempts reached
  kMaxAgeExceeded,       // max_age reached
  kAmbiguousUnresolved,  // an AMBIGUOUS write no probe could settle, on a non-dedup target
  kMappingFailed,        // the step's mapping could not map the outcome (REJECTED before a write)
};
const char* to_string(ExceptionCause cause);
std::optional<ExceptionCause> parse_exception_cause(std::string_view text);

// A step is about to be written: attempt `attempt_no` starts now under a lease. Committed BEFORE
// the adapter is called, so after a crash a leased step with an unfinished attempt is known to be
// in doubt (probe it) rather than silently retried or forgotten.
struct ClaimStep {
  int64_t outcome_seq = 0;
  int64_t step_index = 0;
  int64_t attempt_no = 0;
  int64_t at_ms = 0;
  int64_t lease_expires_at_ms = 0;
  std::string lease_owner;
};

// An exception entry to create together with a FinishStep that ends in `failed`.
struct NewException {
  std::string id;  // UUIDv7 text
  ExceptionCause cause = ExceptionCause::kRejected;
  std::string adapter;
  std::optional<std::string> mapped_request;  // JSON text of what was (or would be) sent
  std::string last_error;
};

// The result of an attempt (or of recovery settling an in-doubt one).
struct FinishStep {
  int64_t outcome_seq = 0;
  int64_t step_index = 0;
  int64_t attempt_no = 0;
  int64_t at_ms = 0;
  std::string classification;  // applied | already_applied | retryable | rejected | ambiguous ...
  std::string detail;          // the system's diagnostic, probe verdicts appended
  std::string step_status;     // pending (retry later) | applied | failed
  std::optional<int64_t> next_attempt_at_ms;    // step_status == pending
  std::optional<std::string> system_reference;  // step_status == applied
  std::optional<std::string> outcome_status;    // set when the outcome's status changes
  std::optional<NewException> exception;        // step_status == failed
  // The claim is handed back unsent (breaker open, gateway stopping): the attempt does not count
  // against the step's budget, and the step's last error is left as it was.
  bool released = false;
  std::string principal = "engine";  // for the audit record
};

// An operator's decision on an open exception.
struct ResolveException {
  std::string exception_id;
  std::string action;  // "replay" | "discard"
  std::string principal;
  std::string reason;
  int64_t at_ms = 0;
  std::optional<std::string> corrected_body;  // replay with corrected data: the new body JSON
  bool new_key = false;  // replay under a fresh idempotency key suffix (corrected data)
};

using EngineWrite = std::variant<ClaimStep, FinishStep, ResolveException>;

// What a committed EngineWrite reports back.
struct EngineWriteResult {
  bool ok = false;
  std::string error;  // !ok: why (store failure, or for ResolveException: "not-found"/"not-open")
  // ResolveException: the outcome the exception belongs to (payload holds its id and seq only)
  // and its step.
  std::optional<OutcomeRecord> payload;
  int64_t outcome_seq = 0;
  int64_t step_index = 0;
};

// One step as the engine needs it to schedule work (recovery and replay).
struct PendingStep {
  int64_t index = 0;
  std::string adapter;
  std::string mapping;  // "" = identity
  std::string status;   // pending | leased | applied | failed | discarded
  int64_t attempt_count = 0;
  std::optional<int64_t> next_attempt_at_ms;
  std::optional<int64_t> first_attempt_at_ms;
  int64_t attempt_base = 0;    // attempts before the last replay: the budget counts from here
  int64_t key_generation = 0;  // bumped by a replay with corrected data
};

// An outcome that is not finished (accepted or in_flight), for the engine's start-up scan.
struct UnfinishedOutcome {
  int64_t seq = 0;
  std::string type;
  std::string subject;
  int64_t created_at_ms = 0;
  std::vector<PendingStep> steps;
};

struct ExceptionAttempt {
  int64_t attempt_no = 0;
  int64_t started_at_ms = 0;
  std::optional<int64_t> finished_at_ms;
  std::optional<std::string> classification;
  std::optional<std::string> detail;
};

struct ExceptionRecord {
  int64_t seq = 0;  // listing order; cursors are built from it
  std::string id;
  std::string outcome_id;
  int64_t outcome_seq = 0;
  int64_t step_index = 0;
  std::string adapter;
  std::string cause;
  std::string type;
  std::string subject;
  std::string status;  // open | replayed | discarded
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t attempt_count = 0;
  std::string last_error;
  // find_exception() only:
  std::string outcome_body;
  std::optional<std::string> mapped_request;
  std::vector<ExceptionAttempt> attempts;
  std::optional<std::string> resolution_action;
  std::optional<std::string> resolution_principal;
  std::optional<std::string> resolution_reason;
  std::optional<int64_t> resolved_at_ms;
};

struct ExceptionFilter {
  std::optional<std::string> adapter;
  std::optional<std::string> cause;
  std::optional<std::string> type;
  std::optional<std::string> status;
  int64_t after_seq = 0;
  int limit = 50;
};

struct ExceptionPage {
  std::vector<ExceptionRecord> items;
  std::optional<int64_t> next_after_seq;
};

}  // namespace coregate::store
