#include "gateway/cli/audit_log_reader.h"

#include <sqlite3.h>

#include <memory>

namespace coregate::cli {
namespace {

using StatementPtr = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

std::string column_text(sqlite3_stmt* statement, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
  return text ? std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement, column)))
              : std::string();
}

}  // namespace

AuditLogReader::AuditLogReader(const std::filesystem::path& store_file) : path_(store_file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(store_file, ec)) {
    throw AuditReadError(
        "store " + store_file.string() +
        (std::filesystem::exists(store_file, ec) ? " is not a regular file" : " does not exist"));
  }
  // Read-only and without SQLITE_OPEN_CREATE: a wrong path must fail, never leave an empty store.
  const int rc = sqlite3_open_v2(store_file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw AuditReadError("cannot open store " + store_file.string() + ": " + message);
  }
  sqlite3_busy_timeout(db_, 5000);  // a running gateway may be checkpointing
  sqlite3_stmt* raw = nullptr;
  const char* sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'";
  if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw AuditReadError("cannot read store " + store_file.string() + ": " + message);
  }
  StatementPtr probe(raw, &sqlite3_finalize);
  const int step = sqlite3_step(probe.get());
  if (step != SQLITE_ROW) {
    std::string message = step == SQLITE_DONE ? "it has no audit_log table (not a coregate store)"
                                              : sqlite3_errmsg(db_);
    probe.reset();
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw AuditReadError("cannot read store " + store_file.string() + ": " + message);
  }
}

AuditLogReader::~AuditLogReader() {
  sqlite3_close_v2(db_);
}

void AuditLogReader::for_each(int64_t from_seq,
                              const std::function<bool(const AuditRecord&)>& visit) {
  sqlite3_stmt* raw = nullptr;
  const char* sql =
      "SELECT seq, at_ms, principal, action, object_id, detail, prev_hash, hash FROM audit_log "
      "WHERE seq >= ?1 ORDER BY seq";
  if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) {
    throw AuditReadError("cannot read the audit log of " + path_.string() + ": " +
                         sqlite3_errmsg(db_));
  }
  StatementPtr query(raw, &sqlite3_finalize);
  sqlite3_bind_int64(query.get(), 1, from_seq);
  AuditRecord record;
  for (;;) {
    const int rc = sqlite3_step(query.get());
    if (rc == SQLITE_DONE) return;
    if (rc != SQLITE_ROW) {
      throw AuditReadError("reading the audit log of " + path_.string() +
                           " failed: " + sqlite3_errmsg(db_));
    }
    record.seq = sqlite3_column_int64(query.get(), 0);
    record.at_ms = sqlite3_column_int64(query.get(), 1);
    record.principal = column_text(query.get(), 2);
    record.action = column_text(query.get(), 3);
    record.object_id = column_text(query.get(), 4);
    record.detail = column_text(query.get(), 5);
    record.prev_hash = column_text(query.get(), 6);
    record.hash = column_text(query.get(), 7);
    if (!visit(record)) return;
  }
}

}  // namespace coregate::cli
