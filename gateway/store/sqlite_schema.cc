#include "gateway/store/sqlite_schema.h"

#include <array>
#include <string>

namespace coregate::store {
namespace {

// v1: everything issue 3 writes, plus steps/attempts shaped for the writeback engine: a step is
// claimed by setting lease_owner/lease_expires_at_ms in one UPDATE ... WHERE status='pending' AND
// (lease_expires_at_ms IS NULL OR lease_expires_at_ms < now), and each try is an attempts row.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE outcomes (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT    NOT NULL UNIQUE,
  principal       TEXT    NOT NULL,
  idempotency_key TEXT    NOT NULL,
  type            TEXT    NOT NULL,
  subject         TEXT    NOT NULL,
  trigger_id      TEXT,
  body            TEXT    NOT NULL,
  status          TEXT    NOT NULL
                  CHECK (status IN ('accepted', 'in_flight', 'applied', 'failed', 'discarded')),
  created_at_ms   INTEGER NOT NULL,
  updated_at_ms   INTEGER NOT NULL
);
CREATE INDEX outcomes_by_status  ON outcomes (status, seq);
CREATE INDEX outcomes_by_type    ON outcomes (type, seq);
CREATE INDEX outcomes_by_subject ON outcomes (subject, seq);

CREATE TABLE steps (
  outcome_seq         INTEGER NOT NULL REFERENCES outcomes (seq),
  step_index          INTEGER NOT NULL,
  adapter             TEXT    NOT NULL,
  status              TEXT    NOT NULL
                      CHECK (status IN ('pending', 'leased', 'applied', 'failed', 'discarded')),
  lease_owner         TEXT,
  lease_expires_at_ms INTEGER,
  attempt_count       INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms  INTEGER,
  system_reference    TEXT,
  last_error          TEXT,
  updated_at_ms       INTEGER NOT NULL,
  PRIMARY KEY (outcome_seq, step_index)
) WITHOUT ROWID;
CREATE INDEX steps_claimable ON steps (status, next_attempt_at_ms);

CREATE TABLE attempts (
  id             INTEGER PRIMARY KEY,
  outcome_seq    INTEGER NOT NULL,
  step_index     INTEGER NOT NULL,
  attempt_no     INTEGER NOT NULL,
  started_at_ms  INTEGER NOT NULL,
  finished_at_ms INTEGER,
  classification TEXT,
  detail         TEXT,
  UNIQUE (outcome_seq, step_index, attempt_no),
  FOREIGN KEY (outcome_seq, step_index) REFERENCES steps (outcome_seq, step_index)
);

CREATE TABLE idempotency_keys (
  principal     TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  fingerprint   BLOB    NOT NULL,
  outcome_id    TEXT    NOT NULL,
  status_code   INTEGER NOT NULL,
  response_body TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (principal, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ms);

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at_ms     INTEGER NOT NULL,
  principal TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  object_id TEXT    NOT NULL,
  detail    TEXT    NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
);
)sql";

// v2: the writeback engine. Steps gain their mapping, a replay-aware attempt budget
// (attempt_base, first_attempt_at_ms) and a key generation; the exception queue appears. v1 never
// wrote steps or attempts, but they are copied anyway so the migration is honest about data.
constexpr const char* kMigration2 = R"sql(
CREATE TABLE steps_v2 (
  outcome_seq         INTEGER NOT NULL REFERENCES outcomes (seq),
  step_index          INTEGER NOT NULL,
  adapter             TEXT    NOT NULL,
  mapping             TEXT    NOT NULL DEFAULT '',
  status              TEXT    NOT NULL
                      CHECK (status IN ('pending', 'leased', 'applied', 'failed', 'discarded')),
  lease_owner         TEXT,
  lease_expires_at_ms INTEGER,
  attempt_count       INTEGER NOT NULL DEFAULT 0,
  attempt_base        INTEGER NOT NULL DEFAULT 0,
  key_generation      INTEGER NOT NULL DEFAULT 0,
  first_attempt_at_ms INTEGER,
  next_attempt_at_ms  INTEGER,
  system_reference    TEXT,
  last_error          TEXT,
  updated_at_ms       INTEGER NOT NULL,
  PRIMARY KEY (outcome_seq, step_index)
) WITHOUT ROWID;
INSERT INTO steps_v2 (outcome_seq, step_index, adapter, status, lease_owner, lease_expires_at_ms,
                      attempt_count, next_attempt_at_ms, system_reference, last_error,
                      updated_at_ms)
  SELECT outcome_seq, step_index, adapter, status, lease_owner, lease_expires_at_ms, attempt_count,
         next_attempt_at_ms, system_reference, last_error, updated_at_ms FROM steps;
DROP TABLE steps;
ALTER TABLE steps_v2 RENAME TO steps;

CREATE TABLE exceptions (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  id                   TEXT    NOT NULL UNIQUE,
  outcome_seq          INTEGER NOT NULL REFERENCES outcomes (seq),
  step_index           INTEGER NOT NULL,
  adapter              TEXT    NOT NULL,
  cause                TEXT    NOT NULL,
  type                 TEXT    NOT NULL,
  subject              TEXT    NOT NULL,
  status               TEXT    NOT NULL CHECK (status IN ('open', 'replayed', 'discarded')),
  outcome_body         TEXT    NOT NULL,
  mapped_request       TEXT,
  last_error           TEXT    NOT NULL,
  created_at_ms        INTEGER NOT NULL,
  updated_at_ms        INTEGER NOT NULL,
  resolution_action    TEXT,
  resolution_principal TEXT,
  resolution_reason    TEXT,
  resolved_at_ms       INTEGER
);
CREATE INDEX exceptions_by_status ON exceptions (status, seq);
CREATE INDEX exceptions_by_outcome ON exceptions (outcome_seq, step_index);
)sql";

constexpr std::array kMigrations = {kMigration1, kMigration2};

int user_version(Database& db) {
  Statement query(db, "PRAGMA user_version");
  query.step();
  const int version = static_cast<int>(query.column_int(0));
  query.reset();
  return version;
}

}  // namespace

int sqlite_schema_version() {
  return static_cast<int>(kMigrations.size());
}

void migrate_sqlite_schema(Database& db) {
  const int current = user_version(db);
  if (current > sqlite_schema_version()) {
    throw StoreError("store schema version " + std::to_string(current) +
                     " is newer than this build's " + std::to_string(sqlite_schema_version()) +
                     "; run a newer coregate or restore a backup");
  }
  for (int version = current; version < sqlite_schema_version(); ++version) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(kMigrations[static_cast<size_t>(version)]);
      db.exec("PRAGMA user_version = " + std::to_string(version + 1));
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace coregate::store
