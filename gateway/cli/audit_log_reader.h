// Reads a store file's audit_log (DESIGN §4 "Audit") for `coregate audit verify|export`, offline
// and read-only: it never creates, migrates or writes the file, so it is safe beside a running
// gateway (WAL readers do not block the writer) and on a copy taken for an investigation.
// Not thread-safe: one reader per thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

struct sqlite3;

namespace coregate::cli {

// The file is missing, unreadable, not SQLite, or has no audit_log table. what() names the path.
class AuditReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One audit_log row as stored (at_ms: milliseconds since the Unix epoch, UTC).
struct AuditRecord {
  int64_t seq = 0;
  int64_t at_ms = 0;
  std::string principal;
  std::string action;
  std::string object_id;
  std::string detail;  // JSON text
  std::string prev_hash;
  std::string hash;
};

class AuditLogReader {
 public:
  // Opens `store_file` read-only and checks it has an audit_log table. Throws AuditReadError.
  explicit AuditLogReader(const std::filesystem::path& store_file);
  ~AuditLogReader();
  AuditLogReader(const AuditLogReader&) = delete;
  AuditLogReader& operator=(const AuditLogReader&) = delete;

  // Calls `visit` for every record with seq >= `from_seq`, in seq order, from one consistent
  // snapshot; stops early when `visit` returns false. Throws AuditReadError when reading fails.
  void for_each(int64_t from_seq, const std::function<bool(const AuditRecord&)>& visit);

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace coregate::cli
