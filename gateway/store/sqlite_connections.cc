#include "gateway/store/sqlite_connections.h"

#include "gateway/store/audit_chain.h"

namespace coregate::store {

Writer::Writer(const std::string& path)
    : db(path, true),
      begin(db, "BEGIN IMMEDIATE"),
      commit(db, "COMMIT"),
      rollback(db, "ROLLBACK"),
      find_key(db,
               "SELECT fingerprint, outcome_id, status_code, response_body FROM idempotency_keys "
               "WHERE principal = ?1 AND key = ?2"),
      insert_outcome(db,
                     "INSERT INTO outcomes (id, principal, idempotency_key, type, subject, "
                     "trigger_id, body, status, created_at_ms, updated_at_ms) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'accepted', ?8, ?8)"),
      insert_key(db,
                 "INSERT INTO idempotency_keys (principal, key, fingerprint, outcome_id, "
                 "status_code, response_body, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
      insert_step(db,
                  "INSERT INTO steps (outcome_seq, step_index, adapter, mapping, status, "
                  "updated_at_ms) VALUES (?1, ?2, ?3, ?4, 'pending', ?5)"),
      insert_audit(db,
                   "INSERT INTO audit_log (seq, at_ms, principal, action, object_id, detail, "
                   "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      purge_keys(db, "DELETE FROM idempotency_keys WHERE created_at_ms < ?1"),
      claim_step(db,
                 "UPDATE steps SET status = 'leased', lease_owner = ?3, lease_expires_at_ms = ?4, "
                 "attempt_count = ?5, first_attempt_at_ms = COALESCE(first_attempt_at_ms, ?6), "
                 "next_attempt_at_ms = NULL, updated_at_ms = ?6 "
                 "WHERE outcome_seq = ?1 AND step_index = ?2 AND status IN ('pending', 'leased')"),
      insert_attempt(db,
                     "INSERT INTO attempts (outcome_seq, step_index, attempt_no, started_at_ms) "
                     "VALUES (?1, ?2, ?3, ?4)"),
      mark_in_flight(db,
                     "UPDATE outcomes SET status = 'in_flight', updated_at_ms = ?2 "
                     "WHERE seq = ?1 AND status = 'accepted'"),
      finish_attempt(db,
                     "UPDATE attempts SET finished_at_ms = ?4, classification = ?5, detail = ?6 "
                     "WHERE outcome_seq = ?1 AND step_index = ?2 AND attempt_no = ?3"),
      finish_step(db,
                  "UPDATE steps SET status = ?3, lease_owner = NULL, lease_expires_at_ms = NULL, "
                  "next_attempt_at_ms = ?4, system_reference = COALESCE(?5, system_reference), "
                  "last_error = CASE WHEN ?3 = 'applied' THEN NULL ELSE COALESCE(?6, last_error) "
                  "END, updated_at_ms = ?7 WHERE outcome_seq = ?1 AND step_index = ?2"),
      release_budget(db,
                     "UPDATE steps SET attempt_base = attempt_base + 1, first_attempt_at_ms = "
                     "CASE WHEN attempt_count - attempt_base - 1 <= 0 THEN NULL "
                     "ELSE first_attempt_at_ms END WHERE outcome_seq = ?1 AND step_index = ?2"),
      set_outcome_status(db, "UPDATE outcomes SET status = ?2, updated_at_ms = ?3 WHERE seq = ?1"),
      insert_exception(
          db,
          "INSERT INTO exceptions (id, outcome_seq, step_index, adapter, cause, type, subject, "
          "status, outcome_body, mapped_request, last_error, created_at_ms, updated_at_ms) "
          "SELECT ?1, seq, ?3, ?4, ?5, type, subject, 'open', body, ?6, ?7, ?8, ?8 "
          "FROM outcomes WHERE seq = ?2"),
      find_open_exception(db,
                          "SELECT e.status, e.outcome_seq, e.step_index, o.id FROM exceptions e "
                          "JOIN outcomes o ON o.seq = e.outcome_seq WHERE e.id = ?1"),
      resolve_exception(db,
                        "UPDATE exceptions SET status = ?2, resolution_action = ?3, "
                        "resolution_principal = ?4, resolution_reason = ?5, resolved_at_ms = ?6, "
                        "updated_at_ms = ?6 WHERE id = ?1 AND status = 'open'"),
      reset_steps_for_replay(
          db,
          "UPDATE steps SET status = 'pending', attempt_base = attempt_count, "
          "first_attempt_at_ms = NULL, next_attempt_at_ms = NULL, lease_owner = NULL, "
          "lease_expires_at_ms = NULL, key_generation = key_generation + ?3, updated_at_ms = ?4 "
          "WHERE outcome_seq = ?1 AND step_index >= ?2 AND status IN ('pending', 'failed')"),
      discard_steps(db,
                    "UPDATE steps SET status = 'discarded', updated_at_ms = ?2 "
                    "WHERE outcome_seq = ?1 AND status IN ('pending', 'failed')"),
      replace_body(db, "UPDATE outcomes SET body = ?2 WHERE seq = ?1") {}

void Writer::append_audit(AuditHead& head, int64_t at_ms, std::string_view principal,
                          std::string_view action, std::string_view object_id,
                          std::string_view detail) {
  const int64_t seq = head.seq + 1;
  std::string next = audit_record_hash(head.hash, seq, at_ms, principal, action, object_id, detail);
  insert_audit.bind(1, seq);
  insert_audit.bind(2, at_ms);
  insert_audit.bind(3, principal);
  insert_audit.bind(4, action);
  insert_audit.bind(5, object_id);
  insert_audit.bind(6, detail);
  insert_audit.bind(7, head.hash);
  insert_audit.bind(8, next);
  insert_audit.step();
  insert_audit.reset();
  head.seq = seq;
  head.hash = std::move(next);
}

Reader::Reader(const std::string& path)
    : db(path, false),
      find_outcome(db,
                   "SELECT seq, id, principal, type, subject, trigger_id, status, body, "
                   "created_at_ms, updated_at_ms FROM outcomes WHERE id = ?1"),
      find_steps(db,
                 "SELECT step_index, adapter, status, attempt_count, system_reference, last_error "
                 "FROM steps WHERE outcome_seq = ?1 ORDER BY step_index"),
      find_attempts(db,
                    "SELECT step_index, attempt_no, started_at_ms, finished_at_ms, classification, "
                    "detail FROM attempts WHERE outcome_seq = ?1 ORDER BY step_index, attempt_no"),
      find_exception(
          db,
          "SELECT e.seq, e.id, o.id, e.outcome_seq, e.step_index, e.adapter, e.cause, "
          "e.type, e.subject, e.status, e.created_at_ms, e.updated_at_ms, "
          "s.attempt_count, e.last_error, e.outcome_body, e.mapped_request, "
          "e.resolution_action, e.resolution_principal, e.resolution_reason, "
          "e.resolved_at_ms FROM exceptions e JOIN outcomes o ON o.seq = e.outcome_seq "
          "JOIN steps s ON s.outcome_seq = e.outcome_seq AND s.step_index = e.step_index "
          "WHERE e.id = ?1"),
      find_step_attempts(db,
                         "SELECT attempt_no, started_at_ms, finished_at_ms, classification, detail "
                         "FROM attempts WHERE outcome_seq = ?1 AND step_index = ?2 "
                         "ORDER BY attempt_no") {
  db.exec("PRAGMA query_only = 1");
}

}  // namespace coregate::store
