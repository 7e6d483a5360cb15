// The embedded SQLite backend: one file in WAL mode with synchronous=FULL, so a COMMIT returns only
// after its WAL frames are fsynced.
//
// GROUP COMMIT. One writer thread owns the only write connection. submit() appends to a bounded
// queue; the writer takes everything queued (up to max_batch), writes it in ONE transaction with
// prepared statements, commits (one fsync), and only then runs the callbacks. While it fsyncs, new
// submissions queue up and form the next batch, so batches grow with load by themselves and an
// idle store commits a lone request at once (no added delay).
//
// Reads use a small pool of read-only connections (WAL readers never block the writer).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "gateway/store/outcome_store.h"

namespace coregate::store {

struct SqliteStoreOptions {
  std::filesystem::path path;
  size_t max_pending = 8192;  // backlog bound; submit() refuses past it
  size_t max_batch = 4096;    // outcomes per transaction at most
  unsigned readers = 4;       // read connections
  std::chrono::milliseconds busy_timeout{5000};
};

class SqliteOutcomeStore final : public OutcomeStore {
 public:
  // Opens or creates the file (and its folder), sets WAL + synchronous=FULL, migrates the schema,
  // loads the audit chain head and starts the writer thread. Throws StoreError.
  explicit SqliteOutcomeStore(SqliteStoreOptions options);
  ~SqliteOutcomeStore() override;  // stop()

  [[nodiscard]] bool submit(NewOutcome outcome, AcceptCallback done) override;
  [[nodiscard]] bool record(EngineWrite write, EngineCallback done) override;
  void set_accepted_listener(AcceptedListener listener) override;
  void scan_unfinished(const std::function<void(UnfinishedOutcome&&)>& each) override;
  std::optional<OutcomeRecord> find_by_seq(int64_t seq) override;
  std::optional<UnfinishedOutcome> load_unfinished(int64_t seq) override;
  ExceptionPage list_exceptions(const ExceptionFilter& filter) override;
  std::optional<ExceptionRecord> find_exception(std::string_view id) override;
  std::optional<OutcomeRecord> find(std::string_view id) override;
  OutcomePage list(const OutcomeFilter& filter) override;
  int64_t purge_idempotency_keys(std::chrono::system_clock::time_point older_than) override;
  std::string health() const override;
  size_t pending() const override;
  void stop() override;

  // Figures for the benchmark: batches committed and outcomes in them.
  struct Counters {
    uint64_t batches = 0;
    uint64_t outcomes = 0;
  };
  Counters counters() const;

 private:
  void scan_unfinished_impl(int64_t only_seq, const std::function<void(UnfinishedOutcome&&)>& each);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::store
