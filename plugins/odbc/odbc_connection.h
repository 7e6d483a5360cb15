// RAII over the unixODBC C API: one environment, connections, and a per-connection cache of
// prepared statements. Every failing call returns every SQLGetDiagRec record (SQLSTATE, native
// code, message) rather than throwing: this is the data path.
//
// Thread-safety: an OdbcEnvironment may be shared; a Connection is used by one thread at a time
// (the pool hands it out exclusively).
#pragma once

#include <sql.h>
#include <sqlext.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugins/odbc/classification.h"
#include "plugins/odbc/parameters.h"

namespace coregate::plugins::odbc {

// What one ODBC operation did.
struct [[nodiscard]] OdbcResult {
  bool ok = true;
  Diagnostics diag;           // every record, also warnings on success
  SQLLEN rows_affected = -1;  // for INSERT/UPDATE/DELETE when the driver knows

  static OdbcResult failure(Diagnostics d) { return {false, std::move(d), -1}; }
};

// A result set, every value converted to UTF-8 text (numerics too: never a double); NULL is
// nullopt.
struct Rows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// Reads every diagnostic record of a handle.
Diagnostics read_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle);

class OdbcEnvironment {
 public:
  // Throws std::runtime_error when unixODBC cannot allocate an environment (create time only).
  OdbcEnvironment();
  ~OdbcEnvironment();
  OdbcEnvironment(const OdbcEnvironment&) = delete;
  OdbcEnvironment& operator=(const OdbcEnvironment&) = delete;
  SQLHENV get() const { return env_; }

 private:
  SQLHENV env_ = SQL_NULL_HENV;
};

class Connection {
 public:
  // Connects with autocommit off. On failure returns nullptr and fills *diag.
  static std::unique_ptr<Connection> open(const OdbcEnvironment& env,
                                          const std::string& connection_string, int login_timeout_s,
                                          Diagnostics* diag);
  ~Connection();  // rolls back an open transaction, frees statements, disconnects
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Prepares `sql` once per connection (cached) and executes it with `params` bound in order.
  // With `rows`, fetches at most `max_rows` rows of the result. timeout_s > 0 sets the
  // statement's query timeout.
  OdbcResult execute(const std::string& sql, const std::vector<BoundText>& params, int timeout_s,
                     Rows* rows = nullptr, size_t max_rows = SIZE_MAX);
  // Runs `sql` unprepared (DDL at create time).
  OdbcResult execute_direct(const std::string& sql);
  OdbcResult commit();
  OdbcResult rollback();

  // The driver's own name (SQLGetInfo SQL_DRIVER_NAME), e.g. "psqlodbcw.so".
  std::string driver_name() const;
  size_t cached_statements() const { return statements_.size(); }

 private:
  explicit Connection(SQLHDBC dbc) : dbc_(dbc) {}
  SQLHSTMT prepared(const std::string& sql, OdbcResult* failure);
  OdbcResult end_transaction(SQLSMALLINT completion);

  SQLHDBC dbc_ = SQL_NULL_HDBC;
  std::map<std::string, SQLHSTMT> statements_;  // freed in the destructor
};

}  // namespace coregate::plugins::odbc
