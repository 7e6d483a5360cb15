// Thin RAII over the SQLite C API for this store: one Database per connection, prepared Statements
// that reset themselves. Errors throw StoreError; callers on the data path catch it and turn it
// into a result (the writer fails the whole batch, readers answer 503).
// Not thread-safe: a Database and its Statements are used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace coregate::store {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Database {
 public:
  // Opens (creating when `create`) the file. Throws StoreError naming the path.
  Database(const std::string& path, bool create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);  // one or more statements, no results
  sqlite3* raw() const { return db_; }
  std::string error_message() const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based like SQLite's. Text and blobs are copied (SQLITE_TRANSIENT) only when
  // `transient`; otherwise the caller keeps them alive until reset().
  void bind(int index, std::string_view text, bool transient = false);
  void bind_blob(int index, const void* data, size_t size, bool transient = false);
  void bind(int index, int64_t value);
  void bind_null(int index);

  // true: a row is available; false: done. Throws on error (the statement is reset).
  bool step();
  void reset();  // reset + clear bindings; statements are reusable

  int64_t column_int(int column) const;
  std::string column_text(int column) const;
  std::optional<std::string> column_text_or_null(int column) const;
  std::string_view column_blob(int column) const;

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace coregate::store
