#include "gateway/triggers/trigger_store.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gateway/store/sqlite_handle.h"

namespace coregate::triggers {
namespace {

using store::Database;
using store::Statement;
using store::StoreError;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS trigger_log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  event TEXT NOT NULL,
  created_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS source_cursors (
  source TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  updated_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS consumer_groups (
  name TEXT PRIMARY KEY,
  floor INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS consumer_acks (
  name TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (name, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS subscription_offsets (
  name TEXT PRIMARY KEY,
  done_upto INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  subscription TEXT NOT NULL,
  seq INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  replayed_ms INTEGER);
CREATE TABLE IF NOT EXISTS trigger_exceptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  record_key TEXT,
  reason TEXT NOT NULL,
  record TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  occurrences INTEGER NOT NULL DEFAULT 1);
CREATE UNIQUE INDEX IF NOT EXISTS trigger_exceptions_by_record
  ON trigger_exceptions (source, record_key);
)sql";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void configure(Database& db) {
  sqlite3_busy_timeout(db.raw(), 10000);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");  // a commit returns after the WAL fsync
  // The id index takes random inserts; a larger cache keeps its pages in memory (64 MiB).
  db.exec("PRAGMA cache_size = -65536");
  // The checkpoint thread copies the WAL into the file, off the commit path (a poll's commit
  // never pays for the main file's fsync).
  db.exec("PRAGMA wal_autocheckpoint = 0");
}

// BEGIN IMMEDIATE ... COMMIT, rolled back when the scope is left by an exception.
class Transaction {
 public:
  explicit Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) {
      try {
        db_.exec("ROLLBACK");
      } catch (const StoreError&) {
      }
    }
  }
  void commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  Database& db_;
  bool done_ = false;
};

LoggedEvent logged_from(const Statement& row) {
  return LoggedEvent{row.column_int(0), row.column_text(1), row.column_text(2), row.column_text(3),
                     row.column_text(4)};
}

constexpr std::string_view kDeadLetterColumns =
    "SELECT d.id, d.subscription, d.seq, t.id, d.attempts, d.last_error, d.created_ms, "
    "d.replayed_ms, t.event FROM dead_letters d JOIN trigger_log t ON t.seq = d.seq ";

DeadLetter dead_letter_from(const Statement& row) {
  DeadLetter out;
  out.id = row.column_int(0);
  out.subscription = row.column_text(1);
  out.seq = row.column_int(2);
  out.event_id = row.column_text(3);
  out.attempts = row.column_int(4);
  out.last_error = row.column_text(5);
  out.created_ms = row.column_int(6);
  if (auto replayed = row.column_text_or_null(7)) out.replayed_ms = std::stoll(*replayed);
  out.event_json = row.column_text(8);
  return out;
}

}  // namespace

struct TriggerStore::Impl {
  std::string path;
  mutable std::mutex write_mutex;
  std::unique_ptr<Database> writer;
  std::string failure;  // guarded by write_mutex

  mutable std::mutex readers_mutex;
  mutable std::vector<std::unique_ptr<Database>> readers;

  std::unique_ptr<Database> checkpointer;
  std::mutex checkpoint_mutex;
  std::condition_variable checkpoint_wake;
  bool stopping = false;
  std::thread checkpoint_thread;

  void run_checkpoints() {
    std::unique_lock lock(checkpoint_mutex);
    while (!checkpoint_wake.wait_for(lock, std::chrono::milliseconds(500),
                                     [this] { return stopping; })) {
      lock.unlock();
      // PASSIVE: never waits for readers or the writer; what it cannot copy now, a later one does.
      sqlite3_wal_checkpoint_v2(checkpointer->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                nullptr);
      lock.lock();
    }
  }

  template <typename Use>
  auto read(Use&& use) const {
    std::unique_ptr<Database> db;
    {
      std::lock_guard lock(readers_mutex);
      if (!readers.empty()) {
        db = std::move(readers.back());
        readers.pop_back();
      }
    }
    if (!db) {
      db = std::make_unique<Database>(path, false);
      sqlite3_busy_timeout(db->raw(), 10000);
    }
    struct Return {
      const Impl& impl;
      std::unique_ptr<Database>& db;
      ~Return() {
        std::lock_guard lock(impl.readers_mutex);
        if (impl.readers.size() < 8) impl.readers.push_back(std::move(db));
      }
    } give_back{*this, db};
    return use(*db);
  }

  template <typename Use>
  auto write(Use&& use) {
    std::lock_guard lock(write_mutex);
    try {
      if constexpr (std::is_void_v<decltype(use(*writer))>) {
        use(*writer);
        failure.clear();
      } else {
        auto result = use(*writer);
        failure.clear();
        return result;
      }
    } catch (const StoreError& e) {
      failure = e.what();
      throw;
    }
  }
};

TriggerStore::TriggerStore(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  impl_->path = path.string();
  impl_->writer = std::make_unique<Database>(impl_->path, true);
  configure(*impl_->writer);
  impl_->writer->exec(kSchema);
  impl_->checkpointer = std::make_unique<Database>(impl_->path, false);
  sqlite3_busy_timeout(impl_->checkpointer->raw(), 10000);
  impl_->checkpoint_thread = std::thread([impl = impl_.get()] { impl->run_checkpoints(); });
}

TriggerStore::~TriggerStore() {
  {
    std::lock_guard lock(impl_->checkpoint_mutex);
    impl_->stopping = true;
  }
  impl_->checkpoint_wake.notify_all();
  if (impl_->checkpoint_thread.joinable()) impl_->checkpoint_thread.join();
  // A last full checkpoint so the file alone holds everything (the WAL is kept for safety).
  try {
    impl_->writer->exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch (const StoreError&) {
  }
}

BatchCommit TriggerStore::commit_batch(std::string_view source,
                                       const std::optional<std::string>& cursor,
                                       const std::vector<NewTrigger>& triggers,
                                       const std::vector<TriggerExceptionRecord>& exceptions) {
  return impl_->write([&](Database& db) {
    BatchCommit result;
    const int64_t now = now_ms();
    Transaction transaction(db);
    if (!triggers.empty()) {
      // seq is the rowid (max + 1): the log is append-only, so seqs are contiguous and never
      // reused. A retention job must keep the last row (or switch to AUTOINCREMENT).
      Statement insert(db,
                       "INSERT OR IGNORE INTO trigger_log (id, type, subject, event, created_ms) "
                       "VALUES (?, ?, ?, ?, ?)");
      for (const auto& trigger : triggers) {
        insert.bind(1, trigger.id);
        insert.bind(2, trigger.type);
        insert.bind(3, trigger.subject);
        insert.bind(4, trigger.event_json);
        insert.bind(5, now);
        insert.step();
        if (sqlite3_changes(db.raw()) > 0) {
          ++result.inserted;
        } else {
          ++result.duplicates;
        }
        insert.reset();
      }
    }
    if (!exceptions.empty()) {
      // NULL keys never collide in a UNIQUE index: a keyless exception is always a new row.
      Statement insert(db,
                       "INSERT INTO trigger_exceptions (source, record_key, reason, record, "
                       "created_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, record_key) DO "
                       "UPDATE SET reason = excluded.reason, record = excluded.record, "
                       "occurrences = occurrences + 1 RETURNING id");
      for (const auto& exception : exceptions) {
        insert.bind(1, exception.source);
        if (exception.key.empty()) {
          insert.bind_null(2);
        } else {
          insert.bind(2, exception.key);
        }
        insert.bind(3, exception.reason);
        insert.bind(4, exception.record_json);
        insert.bind(5, now);
        if (insert.step()) result.exception_ids.push_back(insert.column_int(0));
        while (insert.step()) {
        }
        insert.reset();
      }
    }
    if (cursor) {
      Statement upsert(db,
                       "INSERT INTO source_cursors (source, cursor, updated_ms) VALUES (?, ?, ?) "
                       "ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, "
                       "updated_ms = excluded.updated_ms");
      upsert.bind(1, source);
      upsert.bind(2, *cursor);
      upsert.bind(3, now);
      upsert.step();
    }
    Statement last(db, "SELECT COALESCE(MAX(seq), 0) FROM trigger_log");
    if (last.step()) result.last_seq = last.column_int(0);
    transaction.commit();
    return result;
  });
}

std::optional<std::string> TriggerStore::cursor(std::string_view source) const {
  return impl_->read([&](Database& db) -> std::optional<std::string> {
    Statement query(db, "SELECT cursor FROM source_cursors WHERE source = ?");
    query.bind(1, source);
    if (query.step()) return query.column_text(0);
    return std::nullopt;
  });
}

std::vector<LoggedEvent> TriggerStore::read_after(int64_t after, size_t limit) const {
  return impl_->read([&](Database& db) {
    std::vector<LoggedEvent> out;
    Statement query(db,
                    "SELECT seq, id, type, subject, event FROM trigger_log WHERE seq > ? "
                    "ORDER BY seq LIMIT ?");
    query.bind(1, after);
    query.bind(2, static_cast<int64_t>(limit));
    while (query.step()) out.push_back(logged_from(query));
    return out;
  });
}

std::optional<LoggedEvent> TriggerStore::read_one(int64_t seq) const {
  return impl_->read([&](Database& db) -> std::optional<LoggedEvent> {
    Statement query(db, "SELECT seq, id, type, subject, event FROM trigger_log WHERE seq = ?");
    query.bind(1, seq);
    if (query.step()) return logged_from(query);
    return std::nullopt;
  });
}

int64_t TriggerStore::last_seq() const {
  return impl_->read([&](Database& db) {
    Statement query(db, "SELECT COALESCE(MAX(seq), 0) FROM trigger_log");
    return query.step() ? query.column_int(0) : int64_t{0};
  });
}

std::vector<std::optional<int64_t>> TriggerStore::seqs_of(
    const std::vector<std::string>& ids) const {
  return impl_->read([&](Database& db) {
    std::vector<std::optional<int64_t>> out;
    out.reserve(ids.size());
    Statement query(db, "SELECT seq FROM trigger_log WHERE id = ?");
    for (const auto& id : ids) {
      query.bind(1, id);
      out.push_back(query.step() ? std::optional<int64_t>(query.column_int(0)) : std::nullopt);
      query.reset();
    }
    return out;
  });
}

TriggerStore::GroupState TriggerStore::load_group(std::string_view group) const {
  return impl_->read([&](Database& db) {
    GroupState state;
    Statement floor(db, "SELECT floor FROM consumer_groups WHERE name = ?");
    floor.bind(1, group);
    if (floor.step()) state.floor = floor.column_int(0);
    Statement acks(db, "SELECT seq FROM consumer_acks WHERE name = ? AND seq > ? ORDER BY seq");
    acks.bind(1, group);
    acks.bind(2, state.floor);
    while (acks.step()) state.acked.push_back(acks.column_int(0));
    return state;
  });
}

void TriggerStore::save_group(std::string_view group, int64_t floor,
                              const std::vector<int64_t>& new_acks) {
  impl_->write([&](Database& db) {
    Transaction transaction(db);
    Statement insert(db, "INSERT OR IGNORE INTO consumer_acks (name, seq) VALUES (?, ?)");
    for (const int64_t seq : new_acks) {
      if (seq <= floor) continue;
      insert.bind(1, group);
      insert.bind(2, seq);
      insert.step();
      insert.reset();
    }
    Statement upsert(db,
                     "INSERT INTO consumer_groups (name, floor) VALUES (?, ?) "
                     "ON CONFLICT (name) DO UPDATE SET floor = excluded.floor");
    upsert.bind(1, group);
    upsert.bind(2, floor);
    upsert.step();
    Statement prune(db, "DELETE FROM consumer_acks WHERE name = ? AND seq <= ?");
    prune.bind(1, group);
    prune.bind(2, floor);
    prune.step();
    transaction.commit();
  });
}

int64_t TriggerStore::subscription_offset(std::string_view subscription) const {
  return impl_->read([&](Database& db) {
    Statement query(db, "SELECT done_upto FROM subscription_offsets WHERE name = ?");
    query.bind(1, subscription);
    return query.step() ? query.column_int(0) : int64_t{0};
  });
}

void TriggerStore::save_subscription_offset(std::string_view subscription, int64_t offset) {
  impl_->write([&](Database& db) {
    Statement upsert(db,
                     "INSERT INTO subscription_offsets (name, done_upto) VALUES (?, ?) "
                     "ON CONFLICT (name) DO UPDATE SET done_upto = excluded.done_upto");
    upsert.bind(1, subscription);
    upsert.bind(2, offset);
    upsert.step();
  });
}

int64_t TriggerStore::add_dead_letter(std::string_view subscription, int64_t seq, int64_t attempts,
                                      std::string_view last_error) {
  return impl_->write([&](Database& db) {
    Statement insert(db,
                     "INSERT INTO dead_letters (subscription, seq, attempts, last_error, "
                     "created_ms) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, subscription);
    insert.bind(2, seq);
    insert.bind(3, attempts);
    insert.bind(4, last_error);
    insert.bind(5, now_ms());
    insert.step();
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db.raw()));
  });
}

std::vector<DeadLetter> TriggerStore::dead_letters(std::string_view subscription, int64_t after_id,
                                                   size_t limit) const {
  return impl_->read([&](Database& db) {
    std::vector<DeadLetter> out;
    Statement query(db,
                    std::string(kDeadLetterColumns) +
                        "WHERE d.id > ? AND (? = '' OR d.subscription = ?) ORDER BY d.id LIMIT ?");
    query.bind(1, after_id);
    query.bind(2, subscription);
    query.bind(3, subscription);
    query.bind(4, static_cast<int64_t>(limit));
    while (query.step()) out.push_back(dead_letter_from(query));
    return out;
  });
}

std::optional<DeadLetter> TriggerStore::dead_letter(int64_t id) const {
  return impl_->read([&](Database& db) -> std::optional<DeadLetter> {
    Statement query(db, std::string(kDeadLetterColumns) + "WHERE d.id = ?");
    query.bind(1, id);
    if (query.step()) return dead_letter_from(query);
    return std::nullopt;
  });
}

void TriggerStore::mark_replayed(int64_t id) {
  impl_->write([&](Database& db) {
    Statement update(db, "UPDATE dead_letters SET replayed_ms = ? WHERE id = ?");
    update.bind(1, now_ms());
    update.bind(2, id);
    update.step();
  });
}

std::vector<TriggerExceptionRow> TriggerStore::exceptions(int64_t after_id, size_t limit) const {
  return impl_->read([&](Database& db) {
    std::vector<TriggerExceptionRow> out;
    Statement query(db,
                    "SELECT id, source, reason, record, created_ms, occurrences "
                    "FROM trigger_exceptions "
                    "WHERE id > ? ORDER BY id LIMIT ?");
    query.bind(1, after_id);
    query.bind(2, static_cast<int64_t>(limit));
    while (query.step()) {
      out.push_back(TriggerExceptionRow{query.column_int(0), query.column_text(1),
                                        query.column_text(2), query.column_text(3),
                                        query.column_int(4), query.column_int(5)});
    }
    return out;
  });
}

std::string TriggerStore::health() const {
  std::lock_guard lock(impl_->write_mutex);
  return impl_->failure;
}

}  // namespace coregate::triggers
