// The ODBC adapter's configuration (docs/plugins/odbc.md has every key with an example). Parsed
// once at create; throws sdk::ConfigError naming the key.
//
// SQL never comes from the workflow side: every statement, the probe query, the health query and
// the poll queries are written here, and records only supply named parameter values.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <coregate/sdk/config.h>

#include "plugins/odbc/classification.h"
#include "plugins/odbc/parameters.h"

namespace coregate::plugins::odbc {

// A parameterised statement: `?` placeholders bound in order from `params`.
struct SqlTemplate {
  std::string sql;
  std::vector<ParamSpec> params;
};

struct PollSource {
  SqlTemplate query;                        // params name cursor columns or "$limit"
  std::vector<std::string> cursor_columns;  // result columns that form the keyset watermark
  boost::json::object initial_cursor;       // values before the first row was seen
};

struct OdbcSettings {
  std::string connection_string;  // DSN=...; or DSN-less Driver=...;
  int concurrency = 4;            // pool size = concurrent hook calls
  int login_timeout_s = 5;
  Dialect dialect = Dialect::kGeneric;
  std::map<std::string, SqlTemplate> statements;  // by name, selected by the record

  bool ledger = true;  // write coregate_writeback_ledger in the same transaction
  std::string ledger_table = "coregate_writeback_ledger";
  bool create_ledger = false;   // CREATE TABLE IF NOT EXISTS at create
  bool verify_commit = false;   // re-read the ledger row after COMMIT (psqlODBC quirk)
  std::string reference_param;  // param whose value is the reference; default: the key

  std::optional<SqlTemplate> probe_query;  // natural-key probe when there is no ledger
  std::string health_query = "SELECT 1";
  std::map<std::string, PollSource> sources;

  static OdbcSettings parse(const sdk::AdapterConfig& config);
};

}  // namespace coregate::plugins::odbc
