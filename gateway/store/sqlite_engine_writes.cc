#include "gateway/store/sqlite_engine_writes.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace coregate::store {
namespace {

void bind_optional(Statement& statement, int index, const std::optional<std::string>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind_null(index);
  }
}

void bind_optional(Statement& statement, int index, const std::optional<int64_t>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind_null(index);
  }
}

EngineWriteResult apply(Writer& w, AuditHead&, const ClaimStep& claim) {
  w.claim_step.bind(1, claim.outcome_seq);
  w.claim_step.bind(2, claim.step_index);
  w.claim_step.bind(3, claim.lease_owner);
  w.claim_step.bind(4, claim.lease_expires_at_ms);
  w.claim_step.bind(5, claim.attempt_no);
  w.claim_step.bind(6, claim.at_ms);
  w.claim_step.step();
  w.claim_step.reset();
  EngineWriteResult result;
  if (sqlite3_changes(w.db.raw()) == 0) {
    result.error = "step is not pending";
    return result;
  }
  w.insert_attempt.bind(1, claim.outcome_seq);
  w.insert_attempt.bind(2, claim.step_index);
  w.insert_attempt.bind(3, claim.attempt_no);
  w.insert_attempt.bind(4, claim.at_ms);
  w.insert_attempt.step();
  w.insert_attempt.reset();
  w.mark_in_flight.bind(1, claim.outcome_seq);
  w.mark_in_flight.bind(2, claim.at_ms);
  w.mark_in_flight.step();
  w.mark_in_flight.reset();
  result.ok = true;
  return result;
}

EngineWriteResult apply(Writer& w, AuditHead& audit, const FinishStep& finish) {
  w.finish_attempt.bind(1, finish.outcome_seq);
  w.finish_attempt.bind(2, finish.step_index);
  w.finish_attempt.bind(3, finish.attempt_no);
  w.finish_attempt.bind(4, finish.at_ms);
  w.finish_attempt.bind(5, finish.classification);
  w.finish_attempt.bind(6, finish.detail);
  w.finish_attempt.step();
  w.finish_attempt.reset();

  w.finish_step.bind(1, finish.outcome_seq);
  w.finish_step.bind(2, finish.step_index);
  w.finish_step.bind(3, finish.step_status);
  bind_optional(w.finish_step, 4, finish.next_attempt_at_ms);
  bind_optional(w.finish_step, 5, finish.system_reference);
  if (finish.step_status == "applied" || finish.released) {
    w.finish_step.bind_null(6);
  } else {
    w.finish_step.bind(6, finish.detail);
  }
  w.finish_step.bind(7, finish.at_ms);
  w.finish_step.step();
  w.finish_step.reset();

  if (finish.released) {
    w.release_budget.bind(1, finish.outcome_seq);
    w.release_budget.bind(2, finish.step_index);
    w.release_budget.step();
    w.release_budget.reset();
  }
  if (finish.outcome_status) {
    w.set_outcome_status.bind(1, finish.outcome_seq);
    w.set_outcome_status.bind(2, *finish.outcome_status);
    w.set_outcome_status.bind(3, finish.at_ms);
    w.set_outcome_status.step();
    w.set_outcome_status.reset();
  }
  if (finish.exception) {
    const NewException& e = *finish.exception;
    w.insert_exception.bind(1, e.id);
    w.insert_exception.bind(2, finish.outcome_seq);
    w.insert_exception.bind(3, finish.step_index);
    w.insert_exception.bind(4, e.adapter);
    w.insert_exception.bind(5, std::string_view(to_string(e.cause)));
    bind_optional(w.insert_exception, 6, e.mapped_request);
    w.insert_exception.bind(7, e.last_error);
    w.insert_exception.bind(8, finish.at_ms);
    w.insert_exception.step();
    w.insert_exception.reset();
  }
  // One audit record per finished attempt: the attempt, its verdict and where it left the step.
  boost::json::object detail{{"outcome_seq", finish.outcome_seq},
                             {"step", finish.step_index},
                             {"attempt", finish.attempt_no},
                             {"class", finish.classification},
                             {"step_status", finish.step_status}};
  if (finish.exception) {
    detail["exception_id"] = finish.exception->id;
    detail["cause"] = to_string(finish.exception->cause);
  }
  w.append_audit(audit, finish.at_ms, finish.principal, "step.attempt",
                 std::to_string(finish.outcome_seq) + "/" + std::to_string(finish.step_index),
                 boost::json::serialize(detail));
  EngineWriteResult result;
  result.ok = true;
  return result;
}

EngineWriteResult apply(Writer& w, AuditHead& audit, const ResolveException& resolve) {
  EngineWriteResult result;
  w.find_open_exception.bind(1, resolve.exception_id);
  if (!w.find_open_exception.step()) {
    w.find_open_exception.reset();
    result.error = "not-found";
    return result;
  }
  const std::string status = w.find_open_exception.column_text(0);
  result.outcome_seq = w.find_open_exception.column_int(1);
  result.step_index = w.find_open_exception.column_int(2);
  const std::string outcome_id = w.find_open_exception.column_text(3);
  w.find_open_exception.reset();
  result.payload.emplace();
  result.payload->id = outcome_id;
  result.payload->seq = result.outcome_seq;
  if (status != "open") {
    result.error = "not-open:" + status;
    return result;
  }
  const bool replay = resolve.action == "replay";
  w.resolve_exception.bind(1, resolve.exception_id);
  w.resolve_exception.bind(2, std::string_view(replay ? "replayed" : "discarded"));
  w.resolve_exception.bind(3, resolve.action);
  w.resolve_exception.bind(4, resolve.principal);
  w.resolve_exception.bind(5, resolve.reason);
  w.resolve_exception.bind(6, resolve.at_ms);
  w.resolve_exception.step();
  w.resolve_exception.reset();
  if (replay) {
    if (resolve.corrected_body) {
      w.replace_body.bind(1, result.outcome_seq);
      w.replace_body.bind(2, *resolve.corrected_body);
      w.replace_body.step();
      w.replace_body.reset();
    }
    w.reset_steps_for_replay.bind(1, result.outcome_seq);
    w.reset_steps_for_replay.bind(2, result.step_index);
    w.reset_steps_for_replay.bind(3, static_cast<int64_t>(resolve.new_key ? 1 : 0));
    w.reset_steps_for_replay.bind(4, resolve.at_ms);
    w.reset_steps_for_replay.step();
    w.reset_steps_for_replay.reset();
  } else {
    w.discard_steps.bind(1, result.outcome_seq);
    w.discard_steps.bind(2, resolve.at_ms);
    w.discard_steps.step();
    w.discard_steps.reset();
  }
  w.set_outcome_status.bind(1, result.outcome_seq);
  w.set_outcome_status.bind(2, std::string_view(replay ? "accepted" : "discarded"));
  w.set_outcome_status.bind(3, resolve.at_ms);
  w.set_outcome_status.step();
  w.set_outcome_status.reset();

  boost::json::object detail{
      {"outcome_id", outcome_id}, {"step", result.step_index}, {"reason", resolve.reason}};
  if (replay) detail["corrected_data"] = resolve.corrected_body.has_value();
  w.append_audit(audit, resolve.at_ms, resolve.principal,
                 replay ? "exception.replay" : "exception.discard", resolve.exception_id,
                 boost::json::serialize(detail));
  result.ok = true;
  return result;
}

}  // namespace

const char* to_string(ExceptionCause cause) {
  switch (cause) {
    case ExceptionCause::kRejected:
      return "rejected";
    case ExceptionCause::kRetriesExhausted:
      return "retries_exhausted";
    case ExceptionCause::kMaxAgeExceeded:
      return "max_age_exceeded";
    case ExceptionCause::kAmbiguousUnresolved:
      return "ambiguous_unresolved";
    case ExceptionCause::kMappingFailed:
      return "mapping_failed";
  }
  return "rejected";
}

std::optional<ExceptionCause> parse_exception_cause(std::string_view text) {
  for (auto cause : {ExceptionCause::kRejected, ExceptionCause::kRetriesExhausted,
                     ExceptionCause::kMaxAgeExceeded, ExceptionCause::kAmbiguousUnresolved,
                     ExceptionCause::kMappingFailed}) {
    if (text == to_string(cause)) return cause;
  }
  return std::nullopt;
}

EngineWriteResult apply_engine_write(Writer& writer, AuditHead& audit, const EngineWrite& write) {
  return std::visit([&](const auto& w) { return apply(writer, audit, w); }, write);
}

}  // namespace coregate::store
