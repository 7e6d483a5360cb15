#include "plugins/odbc/classification.h"

#include <algorithm>
#include <cctype>

namespace coregate::plugins::odbc {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// SQLite result codes (primary code = native & 0xff); the SQLite ODBC driver reports them all
// as SQLSTATE HY000 with the code as the native error.
std::optional<FaultKind> sqlite_kind(int64_t native) {
  switch (native & 0xff) {
    case 5:   // SQLITE_BUSY
    case 6:   // SQLITE_LOCKED
    case 10:  // SQLITE_IOERR (often a transient lock/IO condition)
    case 15:  // SQLITE_PROTOCOL
      return FaultKind::kTransient;
    case 19:  // SQLITE_CONSTRAINT
    case 18:  // SQLITE_TOOBIG
    case 20:  // SQLITE_MISMATCH
    case 1:   // SQLITE_ERROR (syntax, missing table)
    case 8:   // SQLITE_READONLY
    case 23:  // SQLITE_AUTH
      return FaultKind::kPermanent;
    case 11:  // SQLITE_CORRUPT
    case 26:  // SQLITE_NOTADB
      return FaultKind::kPermanent;
    default:
      return std::nullopt;
  }
}

// MariaDB/MySQL server and client error numbers that SQLSTATE alone does not pin down (many are
// reported as HY000).
std::optional<FaultKind> mariadb_kind(int64_t native) {
  switch (native) {
    case 1213:  // ER_LOCK_DEADLOCK
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1969:  // ER_STATEMENT_TIMEOUT (max_statement_time)
    case 3024:  // ER_QUERY_TIMEOUT
    case 1317:  // ER_QUERY_INTERRUPTED
    case 1040:  // ER_CON_COUNT_ERROR
    case 1614:  // ER_XA_RBDEADLOCK
      return FaultKind::kTransient;
    case 2002:  // CR_CONNECTION_ERROR
    case 2003:  // CR_CONN_HOST_ERROR
    case 2006:  // CR_SERVER_GONE_ERROR
    case 2013:  // CR_SERVER_LOST
    case 2055:  // CR_SERVER_LOST_EXTENDED
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      return FaultKind::kConnection;
    case 1062:  // ER_DUP_ENTRY
    case 1406:  // ER_DATA_TOO_LONG
    case 1048:  // ER_BAD_NULL_ERROR
    case 1452:  // ER_NO_REFERENCED_ROW_2
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1064:  // ER_PARSE_ERROR
    case 1146:  // ER_NO_SUCH_TABLE
    case 1054:  // ER_BAD_FIELD_ERROR
    case 4025:  // ER_CONSTRAINT_FAILED
      return FaultKind::kPermanent;
    default:
      return std::nullopt;
  }
}

std::optional<FaultKind> sqlstate_kind(std::string_view s) {
  if (s.size() != 5) return std::nullopt;
  if (starts_with(s, "08")) return FaultKind::kConnection;  // connection exception
  if (s == "57P01" || s == "57P02" || s == "57P03") return FaultKind::kConnection;  // shutdown
  if (starts_with(s, "40")) return FaultKind::kTransient;  // 40001 serialization, 40P01 deadlock
  if (s == "HYT00" || s == "HYT01") return FaultKind::kTransient;  // timeouts
  if (s == "55P03") return FaultKind::kTransient;                  // lock_not_available
  if (s == "57014") return FaultKind::kTransient;                  // query canceled (timeout)
  if (starts_with(s, "53")) return FaultKind::kTransient;          // insufficient resources
  if (s == "HY008") return FaultKind::kTransient;                  // operation canceled
  if (s == "25P02") return FaultKind::kTransient;  // in failed transaction: rolled back, retry
  if (starts_with(s, "23")) return FaultKind::kPermanent;  // integrity constraint
  if (starts_with(s, "22")) return FaultKind::kPermanent;  // data exception
  if (starts_with(s, "42")) return FaultKind::kPermanent;  // syntax / access rule
  if (starts_with(s, "21") || starts_with(s, "44") || starts_with(s, "28") ||
      starts_with(s, "0A") || starts_with(s, "07")) {
    return FaultKind::kPermanent;  // cardinality, check option, authorization, unsupported, dynamic
                                   // SQL
  }
  if (s == "HY009" || s == "HY090" || s == "HY104" || s == "HY105") return FaultKind::kPermanent;
  return std::nullopt;
}

// Messages that mean the connection is gone although the driver said HY000 or similar.
bool message_says_connection_lost(std::string_view message) {
  std::string m = lower(message);
  return contains(m, "server closed the connection") || contains(m, "connection refused") ||
         contains(m, "could not connect") || contains(m, "no connection to the server") ||
         contains(m, "server has gone away") || contains(m, "lost connection") ||
         contains(m, "terminating connection") || contains(m, "connection is dead") ||
         contains(m, "communication link failure") || contains(m, "broken pipe");
}

}  // namespace

Dialect dialect_from(std::string_view text) {
  std::string t = lower(text);
  if (contains(t, "sqlite")) return Dialect::kSqlite;
  if (contains(t, "psql") || contains(t, "postgres")) return Dialect::kPostgres;
  if (contains(t, "maria") || contains(t, "mysql") || contains(t, "maodbc")) {
    return Dialect::kMariadb;
  }
  return Dialect::kGeneric;
}

std::string_view dialect_name(Dialect dialect) {
  switch (dialect) {
    case Dialect::kSqlite:
      return "sqlite";
    case Dialect::kPostgres:
      return "postgresql";
    case Dialect::kMariadb:
      return "mariadb";
    case Dialect::kGeneric:
      return "generic";
  }
  return "generic";
}

FaultKind fault_kind(const Diagnostics& records, Dialect dialect) {
  for (const auto& r : records) {
    if (message_says_connection_lost(r.message)) return FaultKind::kConnection;
    if (dialect == Dialect::kSqlite && r.sqlstate == "HY000") {
      if (auto k = sqlite_kind(r.native)) return *k;
    }
    if (dialect == Dialect::kMariadb && r.native != 0) {
      if (auto k = mariadb_kind(r.native)) return *k;
    }
    if (auto k = sqlstate_kind(r.sqlstate)) return *k;
  }
  return FaultKind::kUnknown;
}

Verdict classify(const Diagnostics& records, Dialect dialect, Phase phase) {
  Verdict v;
  v.kind = fault_kind(records, dialect);
  v.reconnect = v.kind == FaultKind::kConnection;
  if (phase == Phase::kCommit) {
    // A COMMIT that failed with a permanent error (a deferred constraint) was rolled back by the
    // server: known not applied. Anything else may have committed before the answer was lost.
    v.write_class =
        v.kind == FaultKind::kPermanent ? sdk::WriteClass::kRejected : sdk::WriteClass::kAmbiguous;
    return v;
  }
  v.write_class =
      v.kind == FaultKind::kPermanent ? sdk::WriteClass::kRejected : sdk::WriteClass::kRetryable;
  return v;
}

std::optional<std::string> column_named_in(std::string_view message) {
  // MariaDB: "Data too long for column 'account' at row 1", "Column 'x' cannot be null".
  // PostgreSQL: "null value in column "x" of relation ...". SQLite: "NOT NULL constraint failed:
  // t.x".
  for (std::string_view marker : {std::string_view("column '"), std::string_view("column \""),
                                  std::string_view("Column '"), std::string_view("Column \"")}) {
    size_t at = message.find(marker);
    if (at == std::string_view::npos) continue;
    size_t start = at + marker.size();
    char quote = marker.back();
    size_t end = message.find(quote, start);
    if (end != std::string_view::npos && end > start) {
      return std::string(message.substr(start, end - start));
    }
  }
  // PostgreSQL unique/foreign-key DETAIL: "Key (ext_ref)=(R-C) already exists."
  size_t key = message.find("Key (");
  if (key != std::string_view::npos) {
    size_t start = key + 5;
    size_t end = message.find(")=", start);
    if (end != std::string_view::npos && end > start) {
      return std::string(message.substr(start, end - start));
    }
  }
  size_t at = message.find("constraint failed: ");
  if (at != std::string_view::npos) {
    std::string_view rest = message.substr(at + 19);
    size_t end = rest.find_first_of(" ,()\n");
    std::string_view name = rest.substr(0, end);
    size_t dot = name.rfind('.');
    if (dot != std::string_view::npos) name = name.substr(dot + 1);
    if (!name.empty()) return std::string(name);
  }
  return std::nullopt;
}

std::string describe(const Diagnostics& records) {
  std::string out;
  for (const auto& r : records) {
    if (!out.empty()) out += "; ";
    out += "SQLSTATE " + r.sqlstate + " (native " + std::to_string(r.native) + "): " + r.message;
  }
  return out;
}

}  // namespace coregate::plugins::odbc
