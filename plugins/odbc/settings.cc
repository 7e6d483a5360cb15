#include "plugins/odbc/settings.h"

#include <cctype>

namespace coregate::plugins::odbc {
namespace {

// The ledger table name is spliced into SQL (identifiers cannot be bound), so only plain,
// optionally schema-qualified identifiers are accepted.
bool plain_identifier(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  bool start = true;
  for (char c : name) {
    if (c == '.') {
      if (start) return false;
      start = true;
      continue;
    }
    bool ok = std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
              (!start && std::isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
    start = false;
  }
  return !start;
}

size_t placeholders(std::string_view sql) {
  // Counts `?` outside quotes; good enough to catch a params list of the wrong length.
  size_t n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?') {
      ++n;
    }
  }
  return n;
}

ParamSpec parse_param(const sdk::AdapterConfig& parent, const boost::json::value& item,
                      size_t index) {
  ParamSpec spec;
  if (item.is_string()) {
    spec.name = std::string(item.as_string());
    spec.column = spec.name;
    return spec;
  }
  std::string path = "params[" + std::to_string(index) + "]";
  if (!item.is_object()) throw parent.error(path, "a name or an object {name, type, ...}");
  sdk::AdapterConfig c(parent.instance_name(), item.as_object(), sdk::Host(nullptr),
                       parent.path().empty() ? path : parent.path() + "." + path);
  c.expect_only({"name", "column", "type", "max_length", "nullable"});
  spec.name = c.string("name");
  spec.column = c.string_or("column", spec.name);
  auto type = param_type_from(c.string_or("type", "string"));
  if (!type) throw c.error("type", "one of string, integer, decimal, boolean, date, timestamp");
  spec.type = *type;
  spec.max_length = c.integer_in_or("max_length", 1, 1 << 30, 0);
  spec.nullable = c.boolean_or("nullable", true);
  return spec;
}

SqlTemplate parse_template(const sdk::AdapterConfig& c) {
  c.expect_only({"sql", "params"});
  SqlTemplate t;
  t.sql = c.string("sql");
  if (t.sql.empty()) throw c.error("sql", "a non-empty statement");
  if (c.has("params")) {
    const auto& items = c.array("params");
    for (size_t i = 0; i < items.size(); ++i) t.params.push_back(parse_param(c, items[i], i));
  }
  if (placeholders(t.sql) != t.params.size()) {
    throw c.error("params", "one entry per '?' in sql (" + std::to_string(placeholders(t.sql)) +
                                " placeholders, " + std::to_string(t.params.size()) + " params)");
  }
  return t;
}

}  // namespace

OdbcSettings OdbcSettings::parse(const sdk::AdapterConfig& c) {
  c.expect_only({"connection_string", "concurrency", "login_timeout_s", "dialect", "statements",
                 "ledger", "reference_param", "probe_query", "health_query", "poll"});
  OdbcSettings s;
  s.connection_string = c.secret("connection_string");
  s.concurrency = static_cast<int>(c.integer_in_or("concurrency", 1, 256, 4));
  s.login_timeout_s = static_cast<int>(c.integer_in_or("login_timeout_s", 1, 600, 5));
  std::string dialect = c.string_or("dialect", "auto");
  if (dialect == "auto") {
    s.dialect = dialect_from(s.connection_string);
  } else if (dialect == "sqlite") {
    s.dialect = Dialect::kSqlite;
  } else if (dialect == "postgresql") {
    s.dialect = Dialect::kPostgres;
  } else if (dialect == "mariadb") {
    s.dialect = Dialect::kMariadb;
  } else if (dialect == "generic") {
    s.dialect = Dialect::kGeneric;
  } else {
    throw c.error("dialect", "one of auto, sqlite, postgresql, mariadb, generic");
  }
  if (c.has("statements")) {
    sdk::AdapterConfig statements = c.section("statements");
    for (const auto& entry : statements.values()) {
      s.statements.emplace(std::string(entry.key()),
                           parse_template(statements.section(entry.key())));
    }
  }
  s.verify_commit = true;
  if (c.has("ledger")) {
    sdk::AdapterConfig ledger = c.section("ledger");
    ledger.expect_only({"enabled", "table", "create", "verify_commit"});
    s.ledger = ledger.boolean_or("enabled", true);
    s.ledger_table = ledger.string_or("table", s.ledger_table);
    if (!plain_identifier(s.ledger_table)) {
      throw ledger.error("table", "a plain identifier (letters, digits, _ and a schema dot)");
    }
    s.create_ledger = ledger.boolean_or("create", false);
    s.verify_commit = ledger.boolean_or("verify_commit", s.verify_commit);
  }
  s.reference_param = c.string_or("reference_param", "");
  if (c.has("probe_query")) s.probe_query = parse_template(c.section("probe_query"));
  if (!s.ledger && !s.probe_query) {
    throw c.error("probe_query",
                  "set when ledger.enabled is false (nothing else can find a write)");
  }
  s.health_query = c.string_or("health_query", s.health_query);
  if (c.has("poll")) {
    sdk::AdapterConfig poll = c.section("poll");
    poll.expect_only({"sources"});
    sdk::AdapterConfig sources = poll.section("sources");
    for (const auto& entry : sources.values()) {
      sdk::AdapterConfig source = sources.section(entry.key());
      source.expect_only({"sql", "params", "cursor_columns", "initial_cursor"});
      PollSource p;
      boost::json::object query;
      query["sql"] = source.string("sql");
      if (source.has("params")) query["params"] = source.array("params");
      p.query = parse_template(
          sdk::AdapterConfig(c.instance_name(), query, sdk::Host(nullptr), source.path()));
      p.cursor_columns = source.strings("cursor_columns");
      if (p.cursor_columns.empty()) throw source.error("cursor_columns", "at least one column");
      if (source.has("initial_cursor")) p.initial_cursor = source.object("initial_cursor");
      for (const auto& param : p.query.params) {
        bool known = param.name == "$limit";
        for (const auto& col : p.cursor_columns) known = known || col == param.name;
        if (!known) throw source.error("params", "cursor column names or \"$limit\"");
        if (param.name != "$limit" && !p.initial_cursor.contains(param.name)) {
          throw source.error("initial_cursor", "a value for cursor column '" + param.name + "'");
        }
      }
      s.sources.emplace(std::string(entry.key()), std::move(p));
    }
  }
  return s;
}

}  // namespace coregate::plugins::odbc
