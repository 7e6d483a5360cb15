// The outcome store (DESIGN §4): outcomes, steps, attempts, the idempotency ledger and the audit
// log behind one interface. The SQLite backend is sqlite_outcome_store.h; a PostgreSQL one can
// follow without touching intake.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/store/outcome_records.h"

namespace coregate::store {

class OutcomeStore {
 public:
  // Called exactly once per submitted outcome, on the store's writer thread, AFTER the transaction
  // holding it is durable (committed and fsynced) — or with kStoreFailed when it is not. It runs
  // on the hot path of every later batch, so it must be quick (post the answer, nothing more).
  using AcceptCallback = std::function<void(AcceptResult&&)>;

  virtual ~OutcomeStore() = default;

  // Queues an outcome for the next group commit. Returns false without queuing when the pending
  // backlog is at its bound (the caller answers 503 + Retry-After) or the store is stopping.
  // Thread-safe.
  [[nodiscard]] virtual bool submit(NewOutcome outcome, AcceptCallback done) = 0;

  // Reads. Thread-safe. Throw StoreError (sqlite_handle.h) when the store cannot be read.
  virtual std::optional<OutcomeRecord> find(std::string_view id) = 0;
  virtual OutcomePage list(const OutcomeFilter& filter) = 0;

  // Deletes idempotency ledger entries created before `older_than`; returns how many. Runs on the
  // writer thread between batches; blocks the caller until done. Thread-safe.
  virtual int64_t purge_idempotency_keys(std::chrono::system_clock::time_point older_than) = 0;

  // "" when the store accepts writes, else why not (for /readyz). Thread-safe, cheap.
  virtual std::string health() const = 0;

  // Outcomes waiting for a commit right now (for metrics and tests). Thread-safe.
  virtual size_t pending() const = 0;

  // Commits everything already submitted, then refuses new submissions and closes. Idempotent.
  virtual void stop() = 0;
};

}  // namespace coregate::store
