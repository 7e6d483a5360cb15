// The SQLite store's connections and their prepared statements (private to gateway/store).
// Writer: the one write connection, used only by the writer thread. Reader: a read-only connection
// used by one thread at a time (pooled). Statements are prepared once; every use binds and resets.
#pragma once

#include <string>

#include "gateway/store/sqlite_handle.h"

namespace coregate::store {

// The audit chain's head as the writer advances it inside a transaction. Copied before a batch
// and written back only after COMMIT, so a rolled-back batch leaves no gap in the chain.
struct AuditHead {
  int64_t seq = 0;
  std::string hash;
};

struct Writer {
  explicit Writer(const std::string& path);

  // Appends one hash-chained audit record (audit_chain.h) and advances `head`.
  void append_audit(AuditHead& head, int64_t at_ms, std::string_view principal,
                    std::string_view action, std::string_view object_id, std::string_view detail);

  Database db;
  Statement begin, commit, rollback;
  // intake
  Statement find_key, insert_outcome, insert_key, insert_step, insert_audit, purge_keys;
  // engine
  Statement claim_step, insert_attempt, mark_in_flight;
  Statement finish_attempt, finish_step, release_budget, set_outcome_status, insert_exception;
  Statement find_open_exception, resolve_exception, reset_steps_for_replay, discard_steps,
      replace_body;
};

struct Reader {
  explicit Reader(const std::string& path);

  Database db;
  Statement find_outcome, find_steps, find_attempts;
  Statement find_exception, find_step_attempts;
};

}  // namespace coregate::store
