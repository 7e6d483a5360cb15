// What the engine tells the rest of the gateway when an outcome reaches a final state, so the
// trigger delivery can emit coregate.outcome.applied / coregate.outcome.failed CloudEvents
// (DESIGN §6 "Events"). Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coregate::engine {

struct OutcomeResultStep {
  int64_t index = 0;
  std::string adapter;
  std::string status;  // applied | failed
  std::optional<std::string> system_reference;
  std::optional<std::string> last_error;
};

struct OutcomeResultEvent {
  std::string outcome_id;  // stable: with the status it makes the event id unique
  std::string type;        // the outcome type, e.g. arrangement.promise_to_pay
  std::string subject;
  std::string status;  // "applied" or "failed"
  std::optional<std::string> trigger_id;
  std::optional<std::string> exception_id;  // set when status is "failed"
  int64_t at_ms = 0;                        // when the final state was committed
  std::vector<OutcomeResultStep> steps;
};

}  // namespace coregate::engine
