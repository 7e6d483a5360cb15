#include "gateway/store/sqlite_outcome_store.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/store/audit_chain.h"
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

struct PurgeTask {
  int64_t cutoff_ms = 0;
  std::promise<int64_t> removed;
};

// The writer's connection and its prepared statements. Used by the writer thread only.
struct Writer {
  explicit Writer(const std::string& path)
      : db(path, true),
        begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        rollback(db, "ROLLBACK"),
        find_key(db,
                 "SELECT fingerprint, outcome_id, status_code, response_body FROM idempotency_keys "
                 "WHERE principal = ?1 AND key = ?2"),
        insert_outcome(
            db,
            "INSERT INTO outcomes (id, principal, idempotency_key, type, subject, trigger_id, "
            "body, status, created_at_ms, updated_at_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'accepted', ?8, ?8)"),
        insert_key(
            db,
            "INSERT INTO idempotency_keys (principal, key, fingerprint, outcome_id, status_code, "
            "response_body, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        insert_audit(db,
                     "INSERT INTO audit_log (seq, at_ms, principal, action, object_id, detail, "
                     "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        purge_keys(db, "DELETE FROM idempotency_keys WHERE created_at_ms < ?1") {}

  Database db;
  Statement begin, commit, rollback, find_key, insert_outcome, insert_key, insert_audit, purge_keys;
};

// A read connection with its prepared statements. Used by one thread at a time (pool).
struct Reader {
  explicit Reader(const std::string& path)
      : db(path, false),
        find_outcome(
            db,
            "SELECT seq, id, principal, type, subject, trigger_id, status, body, created_at_ms, "
            "updated_at_ms FROM outcomes WHERE id = ?1"),
        find_steps(
            db,
            "SELECT step_index, adapter, status, attempt_count, system_reference, last_error "
            "FROM steps WHERE outcome_seq = ?1 ORDER BY step_index"),
        find_attempts(
            db,
            "SELECT step_index, attempt_no, started_at_ms, finished_at_ms, classification, "
            "detail FROM attempts WHERE outcome_seq = ?1 ORDER BY step_index, attempt_no") {
    db.exec("PRAGMA query_only = 1");
  }
  Database db;
  Statement find_outcome, find_steps, find_attempts;
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
  std::deque<Pending> queue;
  std::vector<PurgeTask*> purges;
  bool stopping = false;
  bool stopped = false;
  std::string failure;  // last commit failure, "" when the last commit succeeded
  Counters counters;

  std::mutex readers_mutex;
  std::condition_variable reader_free;
  std::vector<std::unique_ptr<Reader>> readers;

  int64_t audit_seq = 0;
  std::string audit_hash;

  void run_writer();
  void run_checkpointer();
  void commit_batch(std::vector<Pending>& batch);
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
  sqlite3_busy_timeout(db.raw(), static_cast<int>(impl_->options.busy_timeout.count()));
  {
    Statement head(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (head.step()) {
      impl_->audit_seq = head.column_int(0);
      impl_->audit_hash = head.column_text(1);
    } else {
      impl_->audit_hash = audit_genesis_hash();
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
    if (impl_->stopping || impl_->queue.size() >= impl_->options.max_pending) return false;
    impl_->queue.push_back(Pending{std::move(outcome), std::move(done)});
  }
  impl_->wake.notify_one();
  return true;
}

void SqliteOutcomeStore::Impl::run_writer() {
  std::vector<Pending> batch;
  batch.reserve(options.max_batch);
  for (;;) {
    std::vector<PurgeTask*> purge_now;
    {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return !queue.empty() || !purges.empty() || stopping; });
      if (queue.empty() && purges.empty() && stopping) return;
      while (!queue.empty() && batch.size() < options.max_batch) {
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

void SqliteOutcomeStore::Impl::commit_batch(std::vector<Pending>& batch) {
  std::vector<AcceptResult> results(batch.size());
  Writer& w = *writer;
  const int64_t at = now_ms();
  int64_t seq = audit_seq;
  std::string hash = audit_hash;
  std::string failure_text;
  try {
    w.begin.step();
    w.begin.reset();
    for (size_t i = 0; i < batch.size(); ++i) {
      const NewOutcome& o = batch[i].outcome;
      AcceptResult& result = results[i];
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

      w.insert_key.bind(1, o.principal);
      w.insert_key.bind(2, o.idempotency_key);
      w.insert_key.bind_blob(3, o.fingerprint.data(), o.fingerprint.size());
      w.insert_key.bind(4, o.id);
      w.insert_key.bind(5, static_cast<int64_t>(o.response_status));
      w.insert_key.bind(6, o.response_body);
      w.insert_key.bind(7, at);
      w.insert_key.step();
      w.insert_key.reset();

      const std::string detail = boost::json::serialize(boost::json::object{
          {"type", o.type}, {"subject", o.subject}, {"idempotency_key", o.idempotency_key}});
      ++seq;
      std::string next =
          audit_record_hash(hash, seq, at, o.principal, "outcome.accepted", o.id, detail);
      w.insert_audit.bind(1, seq);
      w.insert_audit.bind(2, at);
      w.insert_audit.bind(3, o.principal);
      w.insert_audit.bind(4, std::string_view("outcome.accepted"));
      w.insert_audit.bind(5, o.id);
      w.insert_audit.bind(6, detail);
      w.insert_audit.bind(7, hash);
      w.insert_audit.bind(8, next);
      w.insert_audit.step();
      w.insert_audit.reset();
      hash = std::move(next);

      result.status = AcceptStatus::kAccepted;
      result.outcome_id = o.id;
      result.response_status = o.response_status;
      result.response_body = o.response_body;
    }
    w.commit.step();  // synchronous=FULL: returns after the WAL fsync
    w.commit.reset();
    audit_seq = seq;
    audit_hash = std::move(hash);
  } catch (const std::exception& e) {
    failure_text = e.what();
    try {
      if (!sqlite3_get_autocommit(w.db.raw())) {
        w.rollback.step();
        w.rollback.reset();
      }
    } catch (...) {
    }
    for (auto& result : results) {
      result = AcceptResult{};
      result.status = AcceptStatus::kStoreFailed;
      result.error = failure_text;
    }
  }
  {
    std::lock_guard lock(mutex);
    failure = failure_text;
    if (failure_text.empty()) {
      ++counters.batches;
      counters.outcomes += batch.size();
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
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

std::string SqliteOutcomeStore::health() const {
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopping) return "store is stopping";
  if (!impl_->failure.empty()) return "last commit failed: " + impl_->failure;
  return "";
}

size_t SqliteOutcomeStore::pending() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->queue.size();
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
