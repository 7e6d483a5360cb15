// The outcome store (DESIGN §4): outcomes, steps, attempts, the idempotency ledger and the audit
// log behind one interface. The SQLite backend is sqlite_outcome_store.h; a PostgreSQL one can
// follow without touching intake.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/store/engine_records.h"
#include "gateway/store/outcome_records.h"

namespace coregate::store {

class OutcomeStore {
 public:
  // Called exactly once per submitted outcome, on the store's writer thread, AFTER the transaction
  // holding it is durable (committed and fsynced) — or with kStoreFailed when it is not. It runs
  // on the hot path of every later batch, so it must be quick (post the answer, nothing more).
  using AcceptCallback = std::function<void(AcceptResult&&)>;

  // Called on the writer thread after the commit, once per newly accepted outcome (after its
  // AcceptCallback), with its commit sequence and the outcome itself (moved: the listener owns it).
  // This is how the engine learns of new work without reading it back. Must be quick.
  using AcceptedListener = std::function<void(int64_t seq, NewOutcome&& outcome)>;
  // Called on the writer thread after the transaction holding the write commits (ok) or rolls
  // back (!ok, error says why). Must be quick.
  using EngineCallback = std::function<void(EngineWriteResult&&)>;

  virtual ~OutcomeStore() = default;

  // Queues an outcome for the next group commit. Returns false without queuing when the pending
  // backlog is at its bound (the caller answers 503 + Retry-After) or the store is stopping.
  // Thread-safe.
  [[nodiscard]] virtual bool submit(NewOutcome outcome, AcceptCallback done) = 0;

  // Queues an engine write for the next group commit, in order with everything submitted before
  // it. Not subject to the intake backlog bound (the engine bounds its own writes). Returns false
  // only when the store is stopping. Thread-safe.
  [[nodiscard]] virtual bool record(EngineWrite write, EngineCallback done) = 0;
  // Set once before traffic starts. Thread-safe.
  virtual void set_accepted_listener(AcceptedListener listener) = 0;

  // Engine reads. Thread-safe. Throw StoreError when the store cannot be read.
  // Every outcome still accepted or in_flight, with its steps, in commit order.
  virtual void scan_unfinished(const std::function<void(UnfinishedOutcome&&)>& each) = 0;
  virtual std::optional<OutcomeRecord> find_by_seq(int64_t seq) = 0;
  // One outcome as scan_unfinished would give it; nullopt when it is finished or unknown.
  virtual std::optional<UnfinishedOutcome> load_unfinished(int64_t seq) = 0;
  virtual ExceptionPage list_exceptions(const ExceptionFilter& filter) = 0;
  virtual std::optional<ExceptionRecord> find_exception(std::string_view id) = 0;

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
