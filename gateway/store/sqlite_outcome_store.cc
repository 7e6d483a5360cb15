#include "gateway/store/sqlite_outcome_store.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "gateway/store/audit_chain.h"
#include "gateway/store/sqlite_connections.h"
#include "gateway/store/sqlite_engine_writes.h"
#include "gateway/store/sqlite_handle.h"
#include "gateway/store/sqlite_schema.h"

namespace coregate::store {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Pending {
  NewOutcome outcome;
  OutcomeStore::AcceptCallback done;
};

struct PendingEngineWrite {
  EngineWrite write;
  OutcomeStore::EngineCallback done;
};

// The writer's queue holds both, in submission order, so an engine write queued after an
// acceptance commits in the same or a later transaction, never an earlier one.
using Queued = std::variant<Pending, PendingEngineWrite>;

struct PurgeTask {
  int64_t cutoff_ms = 0;
  std::promise<int64_t> removed;
};

OutcomeRecord read_outcome_row(const Statement& row) {
  OutcomeRecord record;
  record.seq = row.column_int(0);
  record.id = row.column_text(1);
  record.principal = row.column_text(2);
  record.type = row.column_text(3);
  record.subject = row.column_text(4);
  record.trigger_id = row.column_text_or_null(5);
  record.status = row.column_text(6);
  record.body_json = row.column_text(7);
  record.created_at_ms = row.column_int(8);
  record.updated_at_ms = row.column_int(9);
  return record;
}

}  // namespace

struct SqliteOutcomeStore::Impl {
  SqliteStoreOptions options;
  std::unique_ptr<Writer> writer;
  std::thread writer_thread;
  // Checkpoints the WAL into the database file from its own connection, so the writer's commits
  // never pay for a checkpoint (and its fsync of the main file) on the 202 path.
  std::unique_ptr<Database> checkpoint_db;
  std::thread checkpoint_thread;
  std::condition_variable checkpoint_wake;

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::deque<Queued> queue;
  size_t intake_queued = 0;  // Pending entries in `queue` (the backlog bound counts only these)
  AcceptedListener accepted_listener;
  std::vector<PurgeTask*> purges;
  bool stopping = false;
  bool stopped = false;
  std::string failure;  // last commit failure, "" when the last commit succeeded
  Counters counters;

  std::mutex readers_mutex;
  std::condition_variable reader_free;
  std::vector<std::unique_ptr<Reader>> readers;

  AuditHead audit;

  void run_writer();
  void run_checkpointer();
  void commit_batch(std::vector<Queued>& batch);
  int64_t run_purge(int64_t cutoff_ms);

  // Borrow a read connection for the duration of `use`.
  template <typename Use>
  auto with_reader(Use&& use) {
    std::unique_ptr<Reader> reader;
    {
      std::unique_lock lock(readers_mutex);
      reader_free.wait(lock, [&] { return !readers.empty(); });
      reader = std::move(readers.back());
      readers.pop_back();
    }
    struct Return {
      Impl& impl;
      std::unique_ptr<Reader>& reader;
      ~Return() {
        std::lock_guard lock(impl.readers_mutex);
        impl.readers.push_back(std::move(reader));
        impl.reader_free.notify_one();
      }
    } give_back{*this, reader};
    return use(*reader);
  }
};

SqliteOutcomeStore::SqliteOutcomeStore(SqliteStoreOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  const auto& path = impl_->options.path;
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      throw StoreError("cannot create the store folder " + path.parent_path().string() + ": " +
                       ec.message());
  }
  {
    // Pragmas and migrations before the statements are prepared against the tables.
    Database setup(path.string(), true);
    Statement mode(setup, "PRAGMA journal_mode = WAL");
    if (!mode.step() || mode.column_text(0) != "wal") {
      throw StoreError("store " + path.string() + ": cannot switch to WAL mode");
    }
    mode.reset();
    migrate_sqlite_schema(setup);
  }
  impl_->writer = std::make_unique<Writer>(path.string());
  auto& db = impl_->writer->db;
  db.exec("PRAGMA synchronous = FULL");  // COMMIT returns after the WAL fsync: the 202 contract
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA wal_autocheckpoint = 0");  // run_checkpointer() does it off the commit path
  // A batch of thousands of outcomes plus the engine's claims and finishes dirties more pages than
  // SQLite's default 2 MB cache holds; spilling mid-transaction was a tenth of the writer's time.
  db.exec("PRAGMA cache_size = -8192");  // 8 MiB
  sqlite3_busy_timeout(db.raw(), static_cast<int>(impl_->options.busy_timeout.count()));
  {
    Statement head(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (head.step()) {
      impl_->audit.seq = head.column_int(0);
      impl_->audit.hash = head.column_text(1);
    } else {
      impl_->audit.hash = audit_genesis_hash();
    }
  }
  for (unsigned i = 0; i < std::max(1u, impl_->options.readers); ++i) {
    auto reader = std::make_unique<Reader>(path.string());
    sqlite3_busy_timeout(reader->db.raw(), static_cast<int>(impl_->options.busy_timeout.count()));
    impl_->readers.push_back(std::move(reader));
  }
  impl_->checkpoint_db = std::make_unique<Database>(path.string(), false);
  sqlite3_busy_timeout(impl_->checkpoint_db->raw(),
                       static_cast<int>(impl_->options.busy_timeout.count()));
  impl_->writer_thread = std::thread([impl = impl_.get()] { impl->run_writer(); });
  impl_->checkpoint_thread = std::thread([impl = impl_.get()] { impl->run_checkpointer(); });
}

SqliteOutcomeStore::~SqliteOutcomeStore() {
  stop();
}

bool SqliteOutcomeStore::submit(NewOutcome outcome, AcceptCallback done) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping || impl_->intake_queued >= impl_->options.max_pending) return false;
    impl_->queue.emplace_back(Pending{std::move(outcome), std::move(done)});
    ++impl_->intake_queued;
  }
  impl_->wake.notify_one();
  return true;
}

bool SqliteOutcomeStore::record(EngineWrite write, EngineCallback done) {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return false;
    impl_->queue.emplace_back(PendingEngineWrite{std::move(write), std::move(done)});
  }
  impl_->wake.notify_one();
  return true;
}

void SqliteOutcomeStore::set_accepted_listener(AcceptedListener listener) {
  std::lock_guard lock(impl_->mutex);
  impl_->accepted_listener = std::move(listener);
}

void SqliteOutcomeStore::Impl::run_writer() {
  std::vector<Queued> batch;
  batch.reserve(options.max_batch);
  for (;;) {
    std::vector<PurgeTask*> purge_now;
    {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return !queue.empty() || !purges.empty() || stopping; });
      if (queue.empty() && purges.empty() && stopping) return;
      while (!queue.empty() && batch.size() < options.max_batch) {
        if (std::holds_alternative<Pending>(queue.front())) --intake_queued;
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
      purge_now.swap(purges);
    }
    if (!batch.empty()) commit_batch(batch);
    batch.clear();
    for (PurgeTask* task : purge_now) {
      try {
        task->removed.set_value(run_purge(task->cutoff_ms));
      } catch (...) {
        task->removed.set_exception(std::current_exception());
      }
    }
  }
}

void SqliteOutcomeStore::Impl::run_checkpointer() {
  std::unique_lock lock(mutex);
  while (!stopping) {
    checkpoint_wake.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping; });
    if (stopping) break;
    lock.unlock();
    // PASSIVE: copies what it can without blocking the writer or readers. The writer restarts the
    // WAL from the beginning once a checkpoint has caught up, so the file stays bounded.
    int wal_frames = 0, copied = 0;
    sqlite3_wal_checkpoint_v2(checkpoint_db->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames,
                              &copied);
    lock.lock();
  }
}

void SqliteOutcomeStore::Impl::commit_batch(std::vector<Queued>& batch) {
  std::vector<AcceptResult> accepts(batch.size());
  std::vector<EngineWriteResult> engine_results(batch.size());
  std::vector<int64_t> seqs(batch.size(), 0);
  Writer& w = *writer;
  const int64_t at = now_ms();
  AuditHead head = audit;
  std::string failure_text;
  try {
    w.begin.step();
    w.begin.reset();
    for (size_t i = 0; i < batch.size(); ++i) {
      if (auto* engine_write = std::get_if<PendingEngineWrite>(&batch[i])) {
        engine_results[i] = apply_engine_write(w, head, engine_write->write);
        continue;
      }
      const NewOutcome& o = std::get<Pending>(batch[i]).outcome;
      AcceptResult& result = accepts[i];
      w.find_key.bind(1, o.principal);
      w.find_key.bind(2, o.idempotency_key);
      if (w.find_key.step()) {
        const std::string_view stored = w.find_key.column_blob(0);
        result.outcome_id = w.find_key.column_text(1);
        if (stored.size() == o.fingerprint.size() &&
            std::memcmp(stored.data(), o.fingerprint.data(), stored.size()) == 0) {
          result.status = AcceptStatus::kReplay;
          result.response_status = static_cast<int>(w.find_key.column_int(2));
          result.response_body = w.find_key.column_text(3);
        } else {
          result.status = AcceptStatus::kKeyConflict;
        }
        w.find_key.reset();
        continue;
      }
      w.find_key.reset();

      w.insert_outcome.bind(1, o.id);
      w.insert_outcome.bind(2, o.principal);
      w.insert_outcome.bind(3, o.idempotency_key);
      w.insert_outcome.bind(4, o.type);
      w.insert_outcome.bind(5, o.subject);
      if (o.trigger_id) {
        w.insert_outcome.bind(6, *o.trigger_id);
      } else {
        w.insert_outcome.bind_null(6);
      }
      w.insert_outcome.bind(7, o.body_json);
      w.insert_outcome.bind(8, at);
      w.insert_outcome.step();
      w.insert_outcome.reset();
      seqs[i] = sqlite3_last_insert_rowid(w.db.raw());

      for (size_t step = 0; step < o.steps.size(); ++step) {
        w.insert_step.bind(1, seqs[i]);
        w.insert_step.bind(2, static_cast<int64_t>(step));
        w.insert_step.bind(3, o.steps[step].adapter);
        w.insert_step.bind(4, o.steps[step].mapping);
        w.insert_step.bind(5, at);
        w.insert_step.step();
        w.insert_step.reset();
      }

      w.insert_key.bind(1, o.principal);
      w.insert_key.bind(2, o.idempotency_key);
      w.insert_key.bind_blob(3, o.fingerprint.data(), o.fingerprint.size());
      w.insert_key.bind(4, o.id);
      w.insert_key.bind(5, static_cast<int64_t>(o.response_status));
      w.insert_key.bind(6, o.response_body);
      w.insert_key.bind(7, at);
      w.insert_key.step();
      w.insert_key.reset();

      w.append_audit(
          head, at, o.principal, "outcome.accepted", o.id,
          boost::json::serialize(boost::json::object{
              {"type", o.type}, {"subject", o.subject}, {"idempotency_key", o.idempotency_key}}));

      result.status = AcceptStatus::kAccepted;
      result.outcome_id = o.id;
      result.response_status = o.response_status;
      result.response_body = o.response_body;
    }
    w.commit.step();  // synchronous=FULL: returns after the WAL fsync
    w.commit.reset();
    audit = std::move(head);
  } catch (const std::exception& e) {
    failure_text = e.what();
    try {
      if (!sqlite3_get_autocommit(w.db.raw())) {
        w.rollback.step();
        w.rollback.reset();
      }
    } catch (...) {
    }
    for (auto& result : accepts) {
      result = AcceptResult{};
      result.status = AcceptStatus::kStoreFailed;
      result.error = failure_text;
    }
    for (auto& result : engine_results) {
      result = EngineWriteResult{};
      result.error = "store failure: " + failure_text;
    }
  }
  AcceptedListener listener;
  {
    std::lock_guard lock(mutex);
    failure = failure_text;
    if (failure_text.empty()) {
      ++counters.batches;
      counters.outcomes += batch.size();
    }
    listener = accepted_listener;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (auto* engine_write = std::get_if<PendingEngineWrite>(&batch[i])) {
      engine_write->done(std::move(engine_results[i]));
      continue;
    }
    auto& pending = std::get<Pending>(batch[i]);
    // The listener (the engine) hears of the outcome before its caller gets the answer, so
    // whoever saw the 202 can rely on the engine knowing the outcome.
    const bool accepted = accepts[i].status == AcceptStatus::kAccepted;
    if (accepted && listener) listener(seqs[i], std::move(pending.outcome));
    pending.done(std::move(accepts[i]));
  }
}

int64_t SqliteOutcomeStore::Impl::run_purge(int64_t cutoff_ms) {
  Writer& w = *writer;
  w.purge_keys.bind(1, cutoff_ms);
  w.purge_keys.step();
  w.purge_keys.reset();
  return sqlite3_changes64(w.db.raw());
}

int64_t SqliteOutcomeStore::purge_idempotency_keys(
    std::chrono::system_clock::time_point older_than) {
  PurgeTask task;
  task.cutoff_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(older_than.time_since_epoch()).count();
  auto removed = task.removed.get_future();
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping) return 0;
    impl_->purges.push_back(&task);
  }
  impl_->wake.notify_one();
  return removed.get();
}

std::optional<OutcomeRecord> SqliteOutcomeStore::find(std::string_view id) {
  return impl_->with_reader([&](Reader& r) -> std::optional<OutcomeRecord> {
    r.find_outcome.bind(1, id);
    if (!r.find_outcome.step()) {
      r.find_outcome.reset();
      return std::nullopt;
    }
    OutcomeRecord record = read_outcome_row(r.find_outcome);
    r.find_outcome.reset();
    r.find_steps.bind(1, record.seq);
    while (r.find_steps.step()) {
      StepRecord step;
      step.index = r.find_steps.column_int(0);
      step.adapter = r.find_steps.column_text(1);
      step.status = r.find_steps.column_text(2);
      step.attempt_count = r.find_steps.column_int(3);
      step.system_reference = r.find_steps.column_text_or_null(4);
      step.last_error = r.find_steps.column_text_or_null(5);
      record.steps.push_back(std::move(step));
    }
    r.find_steps.reset();
    r.find_attempts.bind(1, record.seq);
    while (r.find_attempts.step()) {
      AttemptRecord attempt;
      attempt.step_index = r.find_attempts.column_int(0);
      attempt.attempt_no = r.find_attempts.column_int(1);
      attempt.started_at_ms = r.find_attempts.column_int(2);
      if (auto finished = r.find_attempts.column_text_or_null(3))
        attempt.finished_at_ms = std::stoll(*finished);
      attempt.classification = r.find_attempts.column_text_or_null(4);
      attempt.detail = r.find_attempts.column_text_or_null(5);
      record.attempts.push_back(std::move(attempt));
    }
    r.find_attempts.reset();
    return record;
  });
}

OutcomePage SqliteOutcomeStore::list(const OutcomeFilter& filter) {
  std::string sql =
      "SELECT seq, id, principal, type, subject, trigger_id, status, body, created_at_ms, "
      "updated_at_ms "
      "FROM outcomes WHERE seq > ?1";
  if (filter.status) sql += " AND status = ?2";
  if (filter.type) sql += " AND type = ?3";
  if (filter.subject) sql += " AND subject = ?4";
  sql += " ORDER BY seq LIMIT ?5";
  return impl_->with_reader([&](Reader& r) {
    Statement query(r.db, sql);
    query.bind(1, filter.after_seq);
    if (filter.status) query.bind(2, *filter.status);
    if (filter.type) query.bind(3, *filter.type);
    if (filter.subject) query.bind(4, *filter.subject);
    query.bind(5, static_cast<int64_t>(filter.limit) + 1);
    OutcomePage page;
    while (query.step()) page.items.push_back(read_outcome_row(query));
    if (page.items.size() > static_cast<size_t>(filter.limit)) {
      page.items.pop_back();
      page.next_after_seq = page.items.back().seq;
    }
    return page;
  });
}

void SqliteOutcomeStore::scan_unfinished(const std::function<void(UnfinishedOutcome&&)>& each) {
  scan_unfinished_impl(0, each);
}

std::optional<UnfinishedOutcome> SqliteOutcomeStore::load_unfinished(int64_t seq) {
  std::optional<UnfinishedOutcome> found;
  scan_unfinished_impl(seq, [&](UnfinishedOutcome&& o) { found = std::move(o); });
  return found;
}

void SqliteOutcomeStore::scan_unfinished_impl(
    int64_t only_seq, const std::function<void(UnfinishedOutcome&&)>& each) {
  impl_->with_reader([&](Reader& r) {
    Statement query(
        r.db,
        std::string("SELECT o.seq, o.type, o.subject, o.created_at_ms, s.step_index, s.adapter, "
                    "s.mapping, s.status, s.attempt_count, s.next_attempt_at_ms, "
                    "s.first_attempt_at_ms, s.attempt_base, s.key_generation FROM outcomes o "
                    "JOIN steps s ON s.outcome_seq = o.seq "
                    "WHERE o.status IN ('accepted', 'in_flight')") +
            (only_seq > 0 ? " AND o.seq = ?1" : "") + " ORDER BY o.seq, s.step_index");
    if (only_seq > 0) query.bind(1, only_seq);
    std::optional<UnfinishedOutcome> current;
    while (query.step()) {
      const int64_t seq = query.column_int(0);
      if (!current || current->seq != seq) {
        if (current) each(std::move(*current));
        current.emplace();
        current->seq = seq;
        current->type = query.column_text(1);
        current->subject = query.column_text(2);
        current->created_at_ms = query.column_int(3);
      }
      PendingStep step;
      step.index = query.column_int(4);
      step.adapter = query.column_text(5);
      step.mapping = query.column_text(6);
      step.status = query.column_text(7);
      step.attempt_count = query.column_int(8);
      if (auto next = query.column_text_or_null(9)) step.next_attempt_at_ms = std::stoll(*next);
      if (auto first = query.column_text_or_null(10)) step.first_attempt_at_ms = std::stoll(*first);
      step.attempt_base = query.column_int(11);
      step.key_generation = query.column_int(12);
      current->steps.push_back(std::move(step));
    }
    if (current) each(std::move(*current));
  });
}

std::optional<OutcomeRecord> SqliteOutcomeStore::find_by_seq(int64_t seq) {
  return impl_->with_reader([&](Reader& r) -> std::optional<OutcomeRecord> {
    Statement query(r.db,
                    "SELECT seq, id, principal, type, subject, trigger_id, status, body, "
                    "created_at_ms, updated_at_ms FROM outcomes WHERE seq = ?1");
    query.bind(1, seq);
    if (!query.step()) return std::nullopt;
    return read_outcome_row(query);
  });
}

namespace {

ExceptionRecord read_exception_row(const Statement& row) {
  ExceptionRecord e;
  e.seq = row.column_int(0);
  e.id = row.column_text(1);
  e.outcome_id = row.column_text(2);
  e.outcome_seq = row.column_int(3);
  e.step_index = row.column_int(4);
  e.adapter = row.column_text(5);
  e.cause = row.column_text(6);
  e.type = row.column_text(7);
  e.subject = row.column_text(8);
  e.status = row.column_text(9);
  e.created_at_ms = row.column_int(10);
  e.updated_at_ms = row.column_int(11);
  e.attempt_count = row.column_int(12);
  e.last_error = row.column_text(13);
  return e;
}

}  // namespace

ExceptionPage SqliteOutcomeStore::list_exceptions(const ExceptionFilter& filter) {
  std::string sql =
      "SELECT e.seq, e.id, o.id, e.outcome_seq, e.step_index, e.adapter, e.cause, e.type, "
      "e.subject, e.status, e.created_at_ms, e.updated_at_ms, s.attempt_count, e.last_error "
      "FROM exceptions e JOIN outcomes o ON o.seq = e.outcome_seq "
      "JOIN steps s ON s.outcome_seq = e.outcome_seq AND s.step_index = e.step_index "
      "WHERE e.seq > ?1";
  if (filter.status) sql += " AND e.status = ?2";
  if (filter.adapter) sql += " AND e.adapter = ?3";
  if (filter.cause) sql += " AND e.cause = ?4";
  if (filter.type) sql += " AND e.type = ?5";
  sql += " ORDER BY e.seq LIMIT ?6";
  return impl_->with_reader([&](Reader& r) {
    Statement query(r.db, sql);
    query.bind(1, filter.after_seq);
    if (filter.status) query.bind(2, *filter.status);
    if (filter.adapter) query.bind(3, *filter.adapter);
    if (filter.cause) query.bind(4, *filter.cause);
    if (filter.type) query.bind(5, *filter.type);
    query.bind(6, static_cast<int64_t>(filter.limit) + 1);
    ExceptionPage page;
    while (query.step()) page.items.push_back(read_exception_row(query));
    if (page.items.size() > static_cast<size_t>(filter.limit)) {
      page.items.pop_back();
      page.next_after_seq = page.items.back().seq;
    }
    return page;
  });
}

std::optional<ExceptionRecord> SqliteOutcomeStore::find_exception(std::string_view id) {
  return impl_->with_reader([&](Reader& r) -> std::optional<ExceptionRecord> {
    r.find_exception.bind(1, id);
    if (!r.find_exception.step()) {
      r.find_exception.reset();
      return std::nullopt;
    }
    ExceptionRecord e = read_exception_row(r.find_exception);
    e.outcome_body = r.find_exception.column_text(14);
    e.mapped_request = r.find_exception.column_text_or_null(15);
    e.resolution_action = r.find_exception.column_text_or_null(16);
    e.resolution_principal = r.find_exception.column_text_or_null(17);
    e.resolution_reason = r.find_exception.column_text_or_null(18);
    if (auto at = r.find_exception.column_text_or_null(19)) e.resolved_at_ms = std::stoll(*at);
    r.find_exception.reset();
    r.find_step_attempts.bind(1, e.outcome_seq);
    r.find_step_attempts.bind(2, e.step_index);
    while (r.find_step_attempts.step()) {
      ExceptionAttempt a;
      a.attempt_no = r.find_step_attempts.column_int(0);
      a.started_at_ms = r.find_step_attempts.column_int(1);
      if (auto f = r.find_step_attempts.column_text_or_null(2)) a.finished_at_ms = std::stoll(*f);
      a.classification = r.find_step_attempts.column_text_or_null(3);
      a.detail = r.find_step_attempts.column_text_or_null(4);
      e.attempts.push_back(std::move(a));
    }
    r.find_step_attempts.reset();
    return e;
  });
}

std::string SqliteOutcomeStore::health() const {
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopping) return "store is stopping";
  if (!impl_->failure.empty()) return "last commit failed: " + impl_->failure;
  return "";
}

size_t SqliteOutcomeStore::pending() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->intake_queued;
}

SqliteOutcomeStore::Counters SqliteOutcomeStore::counters() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counters;
}

void SqliteOutcomeStore::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopping = true;
    impl_->stopped = true;
  }
  impl_->wake.notify_all();
  impl_->checkpoint_wake.notify_all();
  if (impl_->writer_thread.joinable()) impl_->writer_thread.join();
  if (impl_->checkpoint_thread.joinable()) impl_->checkpoint_thread.join();
  impl_->checkpoint_db.reset();
  {
    std::lock_guard lock(impl_->readers_mutex);
    impl_->readers.clear();
  }
  impl_->writer.reset();  // the last connection to close checkpoints the WAL into the file
}

}  // namespace coregate::store
