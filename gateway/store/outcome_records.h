// The values that cross the store interface. Plain data, no behaviour.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coregate::store {

// SHA-256 of the canonicalised request body (see intake/canonical_json.h).
using Fingerprint = std::array<unsigned char, 32>;

// One step of an outcome's plan, written with the outcome so the engine finds it after a crash.
struct NewStep {
  std::string adapter;
  std::string mapping;  // "" = identity
};

// One outcome to accept, fully prepared by intake (id generated, response already rendered) so the
// writer thread only writes.
struct NewOutcome {
  std::string id;               // UUIDv7 text, time-ordered
  std::string principal;        // token name; idempotency keys are scoped to it
  std::string idempotency_key;  // the sf-string's value (unquoted)
  Fingerprint fingerprint{};
  std::string type;
  std::string subject;
  std::optional<std::string> trigger_id;
  std::string body_json;       // the request body as received (validated JSON)
  int response_status = 202;   // what a replay answers
  std::string response_body;   // JSON text
  std::vector<NewStep> steps;  // the plan's steps; empty when no plan routes the type
};

enum class AcceptStatus {
  kAccepted,     // newly committed (and fsynced)
  kReplay,       // the key was committed before with the same fingerprint: stored response
  kKeyConflict,  // the key was committed before with a different fingerprint
  kStoreFailed,  // the batch could not be committed; nothing of it is stored
};

struct AcceptResult {
  AcceptStatus status = AcceptStatus::kStoreFailed;
  int response_status = 0;    // kAccepted / kReplay: the status to send
  std::string response_body;  // kAccepted / kReplay: the body to send
  std::string outcome_id;     // kAccepted / kReplay / kKeyConflict: the outcome the key names
  std::string error;          // kStoreFailed: why (for logs, not for clients)
};

struct StepRecord {
  int64_t index = 0;
  std::string adapter;
  std::string status;
  int64_t attempt_count = 0;
  std::optional<std::string> system_reference;
  std::optional<std::string> last_error;
};

struct AttemptRecord {
  int64_t step_index = 0;
  int64_t attempt_no = 0;
  int64_t started_at_ms = 0;
  std::optional<int64_t> finished_at_ms;
  std::optional<std::string> classification;
  std::optional<std::string> detail;
};

struct OutcomeRecord {
  int64_t seq = 0;  // commit order; cursors are built from it
  std::string id;
  std::string principal;
  std::string type;
  std::string subject;
  std::optional<std::string> trigger_id;
  std::string status;  // accepted | in_flight | applied | failed | discarded
  std::string body_json;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::vector<StepRecord> steps;        // filled by find(), empty in list()
  std::vector<AttemptRecord> attempts;  // filled by find(), empty in list()
};

struct OutcomeFilter {
  std::optional<std::string> status;
  std::optional<std::string> type;
  std::optional<std::string> subject;
  int64_t after_seq = 0;  // from the cursor; 0 = from the start
  int limit = 50;
};

struct OutcomePage {
  std::vector<OutcomeRecord> items;
  std::optional<int64_t> next_after_seq;  // set when more rows may follow
};

}  // namespace coregate::store
