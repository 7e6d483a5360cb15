#include "plugins/odbc/odbc_connection.h"

#include <stdexcept>

#include "plugins/odbc/utf16.h"

namespace coregate::plugins::odbc {
namespace {

bool succeeded(SQLRETURN rc) {
  return rc == SQL_SUCCESS || rc == SQL_SUCCESS_WITH_INFO || rc == SQL_NO_DATA;
}

const SQLWCHAR* wide(const std::u16string& s) {
  return reinterpret_cast<const SQLWCHAR*>(s.c_str());
}

// A statement handle allocated for one call (direct execution), freed on scope exit.
class ScopedStatement {
 public:
  explicit ScopedStatement(SQLHDBC dbc) { SQLAllocHandle(SQL_HANDLE_STMT, dbc, &stmt_); }
  ~ScopedStatement() {
    if (stmt_ != SQL_NULL_HSTMT) SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
  }
  ScopedStatement(const ScopedStatement&) = delete;
  ScopedStatement& operator=(const ScopedStatement&) = delete;
  SQLHSTMT get() const { return stmt_; }

 private:
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

// Storage that must outlive SQLExecute for one bound parameter.
struct ParamBuffer {
  std::u16string wide;
  std::string narrow;
  SQLLEN indicator = 0;
};

SQLRETURN bind(SQLHSTMT stmt, SQLUSMALLINT index, const BoundText& value, ParamBuffer& buf) {
  SQLSMALLINT c_type = SQL_C_CHAR, sql_type = SQL_VARCHAR, digits = 0;
  SQLULEN size = 1;
  SQLPOINTER ptr = nullptr;
  SQLLEN length = 0;
  const std::string text = value.text.value_or("");
  switch (value.type) {
    case ParamType::kString:
      buf.wide = utf8_to_utf16(text);
      c_type = SQL_C_WCHAR, sql_type = SQL_WVARCHAR;
      size = buf.wide.empty() ? 1 : buf.wide.size();
      ptr = buf.wide.data();
      length = static_cast<SQLLEN>(buf.wide.size() * sizeof(char16_t));
      break;
    case ParamType::kInteger:
      sql_type = SQL_BIGINT, size = 20;
      break;
    case ParamType::kDecimal: {
      sql_type = SQL_NUMERIC;
      size_t dot = text.find('.');
      size_t digit_count = 0;
      for (char c : text) digit_count += (c >= '0' && c <= '9') ? 1 : 0;
      digits = dot == std::string::npos ? 0 : static_cast<SQLSMALLINT>(text.size() - dot - 1);
      size = digit_count == 0 ? 1 : digit_count;
      break;
    }
    case ParamType::kBoolean:
      sql_type = SQL_BIT, size = 1;
      break;
    case ParamType::kDate:
      sql_type = SQL_TYPE_DATE, size = 10;
      break;
    case ParamType::kTimestamp: {
      sql_type = SQL_TYPE_TIMESTAMP, size = text.size() < 19 ? 19 : text.size();
      size_t dot = text.find('.');
      digits = dot == std::string::npos ? 0 : static_cast<SQLSMALLINT>(text.size() - dot - 1);
      break;
    }
  }
  if (c_type == SQL_C_CHAR) {
    buf.narrow = text;
    ptr = buf.narrow.data();
    length = static_cast<SQLLEN>(buf.narrow.size());
  }
  buf.indicator = value.text ? length : SQL_NULL_DATA;
  return SQLBindParameter(stmt, index, SQL_PARAM_INPUT, c_type, sql_type, size, digits, ptr, length,
                          &buf.indicator);
}

// Reads the whole value of one column as UTF-16 in chunks, then converts.
bool read_text(SQLHSTMT stmt, SQLUSMALLINT column, std::optional<std::string>* out,
               Diagnostics* diag) {
  std::u16string text;
  char16_t chunk[1024];
  for (;;) {
    SQLLEN indicator = 0;
    SQLRETURN rc = SQLGetData(stmt, column, SQL_C_WCHAR, chunk, sizeof chunk, &indicator);
    if (rc == SQL_NO_DATA) break;
    if (!succeeded(rc)) {
      *diag = read_diagnostics(SQL_HANDLE_STMT, stmt);
      return false;
    }
    if (indicator == SQL_NULL_DATA) {
      *out = std::nullopt;
      return true;
    }
    size_t capacity = sizeof chunk / sizeof(char16_t) - 1;  // one slot for the terminator
    size_t got = (indicator == SQL_NO_TOTAL || indicator / 2 > static_cast<SQLLEN>(capacity))
                     ? capacity
                     : static_cast<size_t>(indicator / 2);
    text.append(chunk, got);
    if (rc == SQL_SUCCESS) break;  // SUCCESS_WITH_INFO (01004) means more to come
  }
  *out = utf16_to_utf8(text);
  return true;
}

OdbcResult fetch(SQLHSTMT stmt, Rows* rows, size_t max_rows) {
  SQLSMALLINT count = 0;
  if (!succeeded(SQLNumResultCols(stmt, &count))) {
    return OdbcResult::failure(read_diagnostics(SQL_HANDLE_STMT, stmt));
  }
  rows->columns.clear();
  rows->rows.clear();
  for (SQLUSMALLINT i = 1; i <= count; ++i) {
    char16_t name[256] = {};
    SQLSMALLINT name_length = 0, type = 0, digits = 0, nullable = 0;
    SQLULEN size = 0;
    SQLDescribeColW(stmt, i, reinterpret_cast<SQLWCHAR*>(name), 255, &name_length, &type, &size,
                    &digits, &nullable);
    rows->columns.push_back(utf16_to_utf8(std::u16string_view(name)));
  }
  while (rows->rows.size() < max_rows) {
    SQLRETURN rc = SQLFetch(stmt);
    if (rc == SQL_NO_DATA) break;
    if (!succeeded(rc)) return OdbcResult::failure(read_diagnostics(SQL_HANDLE_STMT, stmt));
    std::vector<std::optional<std::string>> row(static_cast<size_t>(count));
    for (SQLUSMALLINT i = 1; i <= count; ++i) {
      Diagnostics diag;
      if (!read_text(stmt, i, &row[i - 1], &diag)) return OdbcResult::failure(std::move(diag));
    }
    rows->rows.push_back(std::move(row));
  }
  return {};
}

}  // namespace

Diagnostics read_diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle) {
  Diagnostics out;
  for (SQLSMALLINT i = 1; i < 64; ++i) {
    char16_t state[6] = {};
    char16_t message[2048] = {};
    SQLINTEGER native = 0;
    SQLSMALLINT length = 0;
    SQLRETURN rc = SQLGetDiagRecW(handle_type, handle, i, reinterpret_cast<SQLWCHAR*>(state),
                                  &native, reinterpret_cast<SQLWCHAR*>(message), 2047, &length);
    if (rc != SQL_SUCCESS && rc != SQL_SUCCESS_WITH_INFO) break;
    out.push_back({utf16_to_utf8(std::u16string_view(state)), native,
                   utf16_to_utf8(std::u16string_view(message))});
  }
  return out;
}

OdbcEnvironment::OdbcEnvironment() {
  if (!succeeded(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env_))) {
    throw std::runtime_error("unixODBC: cannot allocate an environment handle");
  }
  SQLSetEnvAttr(env_, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
}

OdbcEnvironment::~OdbcEnvironment() {
  if (env_ != SQL_NULL_HENV) SQLFreeHandle(SQL_HANDLE_ENV, env_);
}

std::unique_ptr<Connection> Connection::open(const OdbcEnvironment& env,
                                             const std::string& connection_string,
                                             int login_timeout_s, Diagnostics* diag) {
  SQLHDBC dbc = SQL_NULL_HDBC;
  if (!succeeded(SQLAllocHandle(SQL_HANDLE_DBC, env.get(), &dbc))) {
    *diag = read_diagnostics(SQL_HANDLE_ENV, env.get());
    if (diag->empty()) diag->push_back({"HY001", 0, "cannot allocate a connection handle"});
    return nullptr;
  }
  if (login_timeout_s > 0) {
    SQLSetConnectAttr(dbc, SQL_ATTR_LOGIN_TIMEOUT,
                      reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(login_timeout_s)), 0);
  }
  std::u16string text = utf8_to_utf16(connection_string);
  SQLRETURN rc = SQLDriverConnectW(dbc, nullptr, const_cast<SQLWCHAR*>(wide(text)), SQL_NTS,
                                   nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT);
  if (!succeeded(rc)) {
    *diag = read_diagnostics(SQL_HANDLE_DBC, dbc);
    if (diag->empty())
      diag->push_back({"08001", 0, "SQLDriverConnect failed without a diagnostic"});
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return nullptr;
  }
  // One transaction per write: autocommit must be off, or the ledger row and the statements
  // could land separately.
  rc = SQLSetConnectAttr(dbc, SQL_ATTR_AUTOCOMMIT, reinterpret_cast<SQLPOINTER>(SQL_AUTOCOMMIT_OFF),
                         SQL_IS_UINTEGER);
  if (!succeeded(rc)) {
    *diag = read_diagnostics(SQL_HANDLE_DBC, dbc);
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    return nullptr;
  }
  return std::unique_ptr<Connection>(new Connection(dbc));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) SQLFreeHandle(SQL_HANDLE_STMT, stmt);
  SQLEndTran(SQL_HANDLE_DBC, dbc_, SQL_ROLLBACK);
  SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
}

SQLHSTMT Connection::prepared(const std::string& sql, OdbcResult* failure) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  SQLHSTMT stmt = SQL_NULL_HSTMT;
  if (!succeeded(SQLAllocHandle(SQL_HANDLE_STMT, dbc_, &stmt))) {
    *failure = OdbcResult::failure(read_diagnostics(SQL_HANDLE_DBC, dbc_));
    return SQL_NULL_HSTMT;
  }
  std::u16string text = utf8_to_utf16(sql);
  if (!succeeded(SQLPrepareW(stmt, const_cast<SQLWCHAR*>(wide(text)), SQL_NTS))) {
    *failure = OdbcResult::failure(read_diagnostics(SQL_HANDLE_STMT, stmt));
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return SQL_NULL_HSTMT;
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

OdbcResult Connection::execute(const std::string& sql, const std::vector<BoundText>& params,
                               int timeout_s, Rows* rows, size_t max_rows) {
  OdbcResult failure;
  SQLHSTMT stmt = prepared(sql, &failure);
  if (stmt == SQL_NULL_HSTMT) return failure;
  SQLFreeStmt(stmt, SQL_CLOSE);
  SQLFreeStmt(stmt, SQL_RESET_PARAMS);
  SQLSetStmtAttr(stmt, SQL_ATTR_QUERY_TIMEOUT,
                 reinterpret_cast<SQLPOINTER>(static_cast<SQLULEN>(timeout_s > 0 ? timeout_s : 0)),
                 0);
  std::vector<ParamBuffer> buffers(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (!succeeded(bind(stmt, static_cast<SQLUSMALLINT>(i + 1), params[i], buffers[i]))) {
      return OdbcResult::failure(read_diagnostics(SQL_HANDLE_STMT, stmt));
    }
  }
  SQLRETURN rc = SQLExecute(stmt);
  if (!succeeded(rc)) {
    Diagnostics diag = read_diagnostics(SQL_HANDLE_STMT, stmt);
    SQLFreeStmt(stmt, SQL_CLOSE);
    if (diag.empty()) diag.push_back({"HY000", 0, "SQLExecute failed without a diagnostic"});
    return OdbcResult::failure(std::move(diag));
  }
  OdbcResult result;
  if (rc == SQL_SUCCESS_WITH_INFO) result.diag = read_diagnostics(SQL_HANDLE_STMT, stmt);
  if (rc != SQL_NO_DATA) SQLRowCount(stmt, &result.rows_affected);
  if (rows != nullptr && rc != SQL_NO_DATA) {
    OdbcResult fetched = fetch(stmt, rows, max_rows);
    if (!fetched.ok) {
      SQLFreeStmt(stmt, SQL_CLOSE);
      return fetched;
    }
  }
  SQLFreeStmt(stmt, SQL_CLOSE);
  return result;
}

OdbcResult Connection::execute_direct(const std::string& sql) {
  ScopedStatement stmt(dbc_);
  if (stmt.get() == SQL_NULL_HSTMT)
    return OdbcResult::failure(read_diagnostics(SQL_HANDLE_DBC, dbc_));
  std::u16string text = utf8_to_utf16(sql);
  SQLRETURN rc = SQLExecDirectW(stmt.get(), const_cast<SQLWCHAR*>(wide(text)), SQL_NTS);
  if (!succeeded(rc)) return OdbcResult::failure(read_diagnostics(SQL_HANDLE_STMT, stmt.get()));
  return {};
}

OdbcResult Connection::end_transaction(SQLSMALLINT completion) {
  SQLRETURN rc = SQLEndTran(SQL_HANDLE_DBC, dbc_, completion);
  if (!succeeded(rc)) {
    Diagnostics diag = read_diagnostics(SQL_HANDLE_DBC, dbc_);
    if (diag.empty()) diag.push_back({"HY000", 0, "SQLEndTran failed without a diagnostic"});
    return OdbcResult::failure(std::move(diag));
  }
  OdbcResult result;
  if (rc == SQL_SUCCESS_WITH_INFO) result.diag = read_diagnostics(SQL_HANDLE_DBC, dbc_);
  return result;
}

OdbcResult Connection::commit() {
  return end_transaction(SQL_COMMIT);
}
OdbcResult Connection::rollback() {
  return end_transaction(SQL_ROLLBACK);
}

std::string Connection::driver_name() const {
  char name[256] = {};
  SQLSMALLINT length = 0;
  SQLGetInfo(dbc_, SQL_DRIVER_NAME, name, sizeof name, &length);
  return name;
}

}  // namespace coregate::plugins::odbc
