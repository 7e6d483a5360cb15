#include "plugins/odbc/odbc_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

namespace coregate::plugins::odbc {
namespace {

const boost::json::value* find(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

bool is_duplicate(const Diagnostics& diag, Dialect dialect) {
  for (const auto& r : diag) {
    if (r.sqlstate.rfind("23", 0) == 0) return true;
    if (dialect == Dialect::kSqlite && r.sqlstate == "HY000" && (r.native & 0xff) == 19) {
      return true;
    }
    if (r.native == 1062) return true;
  }
  return false;
}

std::vector<BoundText> strings(std::initializer_list<std::string_view> values) {
  std::vector<BoundText> out;
  for (auto v : values) out.push_back({std::string(v), ParamType::kString});
  return out;
}

}  // namespace

OdbcAdapter::OdbcAdapter(const sdk::AdapterConfig& config, sdk::Host host)
    : name_(config.instance_name()), host_(host), settings_(OdbcSettings::parse(config)) {
  ledger_insert_sql_ = "INSERT INTO " + settings_.ledger_table +
                       " (idempotency_key, outcome_id, applied_at, reference) VALUES (?, ?, "
                       "CURRENT_TIMESTAMP, ?)";
  ledger_select_sql_ =
      "SELECT reference FROM " + settings_.ledger_table + " WHERE idempotency_key = ?";
  pool_ = std::make_unique<ConnectionPool>(env_, settings_.connection_string, settings_.concurrency,
                                           settings_.login_timeout_s);
  if (settings_.ledger && settings_.create_ledger) {
    Diagnostics diag;
    auto lease = pool_->acquire(
        sdk::Clock::now() + std::chrono::seconds(settings_.login_timeout_s + 5), &diag);
    if (!lease)
      throw std::runtime_error("odbc: cannot connect to create the ledger: " + describe(diag));
    OdbcResult r = lease->execute_direct(
        "CREATE TABLE IF NOT EXISTS " + settings_.ledger_table +
        " (idempotency_key VARCHAR(255) NOT NULL PRIMARY KEY, outcome_id VARCHAR(255) NOT NULL,"
        " applied_at TIMESTAMP NOT NULL, reference VARCHAR(1024))");
    OdbcResult c = r.ok ? lease->commit() : lease->rollback();
    if (!r.ok || !c.ok) {
      throw std::runtime_error("odbc: cannot create the ledger table " + settings_.ledger_table +
                               ": " + describe(r.ok ? c.diag : r.diag));
    }
  }
}

int OdbcAdapter::timeout_for(sdk::Clock::time_point deadline) const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sdk::Clock::now());
  // ODBC timeouts are whole seconds; round up so a short deadline still gets one second.
  return static_cast<int>(std::max<int64_t>(1, (left.count() + 999) / 1000));
}

OdbcAdapter::Plan OdbcAdapter::plan(const sdk::WriteRequest& request) const {
  Plan p;
  // {"statements": [{"statement": name, "params": {...}}, ...]} or one {"statement", "params"}.
  std::vector<const boost::json::object*> items;
  if (const auto* list = find(request.record, "statements")) {
    if (!list->is_array() || list->as_array().empty()) {
      p.error = "record: 'statements' must be a non-empty array";
      return p;
    }
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) {
        p.error = "record: every entry of 'statements' must be an object";
        return p;
      }
      items.push_back(&item.as_object());
    }
  } else {
    items.push_back(&request.record);
  }
  for (const auto* item : items) {
    const auto* name = find(*item, "statement");
    if (name == nullptr || !name->is_string()) {
      p.error = "record: each step needs \"statement\": the name of a configured statement";
      return p;
    }
    std::string statement_name(name->as_string());
    auto it = settings_.statements.find(statement_name);
    if (it == settings_.statements.end()) {
      p.error = "record: no statement named '" + statement_name + "' is configured";
      return p;
    }
    static const boost::json::object empty;
    const auto* params_value = find(*item, "params");
    if (params_value != nullptr && !params_value->is_object()) {
      p.error = "record: 'params' of statement '" + statement_name + "' must be an object";
      return p;
    }
    const boost::json::object& params = params_value ? params_value->as_object() : empty;
    for (const auto& entry : params) {
      bool known = false;
      for (const auto& spec : it->second.params) known = known || spec.name == entry.key();
      if (!known) {
        p.error = "record: statement '" + statement_name + "' has no parameter '" +
                  std::string(entry.key()) + "'";
        return p;
      }
    }
    Step step{&it->second, statement_name, {}};
    for (const auto& spec : it->second.params) {
      const boost::json::value* v = find(params, spec.name);
      Checked checked = check_param(spec, v);
      if (!checked.value) {
        p.error = "statement '" + statement_name + "': " + checked.error;
        return p;
      }
      if (p.reference.empty() && !settings_.reference_param.empty() &&
          spec.name == settings_.reference_param && checked.value->text) {
        p.reference = *checked.value->text;
      }
      step.values.push_back(std::move(*checked.value));
    }
    p.steps.push_back(std::move(step));
  }
  if (p.reference.empty()) p.reference = std::string(request.idempotency_key);
  return p;
}

sdk::WriteResult OdbcAdapter::failed(ConnectionPool::Lease& lease, const OdbcResult& result,
                                     Phase phase, std::string_view what) const {
  Verdict v = classify(result.diag, settings_.dialect, phase);
  std::string diagnostic = std::string(what) + ": " + describe(result.diag);
  if (v.write_class == sdk::WriteClass::kRejected) {
    for (const auto& r : result.diag) {
      if (auto column = column_named_in(r.message)) {
        diagnostic = "column '" + *column + "': " + diagnostic;
        break;
      }
    }
  }
  if (v.reconnect) {
    lease.discard();
    host_.count("odbc_reconnects_total");
  } else if (lease) {
    // Also after a failed COMMIT: leave no transaction open on a pooled connection.
    (void)lease->rollback();
  }
  switch (v.write_class) {
    case sdk::WriteClass::kRejected:
      return sdk::WriteResult::rejected(std::move(diagnostic));
    case sdk::WriteClass::kRetryable:
      return sdk::WriteResult::retryable(std::move(diagnostic));
    default:
      return sdk::WriteResult::ambiguous(std::move(diagnostic));
  }
}

OdbcResult OdbcAdapter::find_in_ledger(ConnectionPool::Lease& lease, std::string_view key,
                                       int timeout_s, Rows* rows) const {
  OdbcResult r = lease->execute(ledger_select_sql_, strings({key}), timeout_s, rows, 1);
  // End the read transaction autocommit-off may have opened. Its failure is ignored: some drivers
  // (SQLite's) open none for a read and answer "no transaction is active".
  (void)lease->rollback();
  return r;
}

sdk::WriteResult OdbcAdapter::write(const sdk::WriteRequest& request) {
  Plan p = plan(request);
  if (!p.error.empty()) return sdk::WriteResult::rejected(p.error);  // database untouched
  if (sdk::Clock::now() >= request.deadline) {
    return sdk::WriteResult::retryable("deadline passed before the write started");
  }
  Diagnostics diag;
  ConnectionPool::Lease lease = pool_->acquire(request.deadline, &diag);
  if (!lease) {
    // Not connected: certainly not applied.
    return sdk::WriteResult::retryable("connect: " + describe(diag));
  }
  int timeout_s = timeout_for(request.deadline);

  if (settings_.ledger) {
    OdbcResult r = lease->execute(
        ledger_insert_sql_, strings({request.idempotency_key, request.outcome_id, p.reference}),
        timeout_s);
    if (!r.ok) {
      if (!is_duplicate(r.diag, settings_.dialect)) {
        return failed(lease, r, Phase::kBeforeCommit, "ledger insert");
      }
      // The key is taken: by a committed write (answer its reference) or, rarely, by one that
      // committed after our insert failed but is not visible yet (retry later).
      (void)lease->rollback();
      Rows rows;
      OdbcResult found = find_in_ledger(lease, request.idempotency_key, timeout_s, &rows);
      if (!found.ok) return failed(lease, found, Phase::kBeforeCommit, "ledger look-up");
      if (rows.rows.empty()) {
        return sdk::WriteResult::retryable(
            "ledger insert hit a duplicate key but the row is not visible yet: " +
            describe(r.diag));
      }
      return sdk::WriteResult::already_applied(rows.rows[0][0].value_or(""),
                                               "ledger already holds this key");
    }
  } else {
    // No ledger: the natural-key probe query inside the same transaction.
    std::vector<BoundText> values;
    for (const auto& spec : settings_.probe_query->params) {
      bool found = false;
      for (const auto& step : p.steps) {
        for (size_t i = 0; i < step.statement->params.size() && !found; ++i) {
          if (step.statement->params[i].name == spec.name) {
            values.push_back(step.values[i]);
            found = true;
          }
        }
        if (found) break;
      }
      if (!found) {
        return sdk::WriteResult::rejected("probe_query parameter '" + spec.name +
                                          "' is in none of the record's statements");
      }
    }
    Rows rows;
    OdbcResult r = lease->execute(settings_.probe_query->sql, values, timeout_s, &rows, 1);
    if (!r.ok) return failed(lease, r, Phase::kBeforeCommit, "probe query");
    if (!rows.rows.empty()) {
      (void)lease->rollback();
      return sdk::WriteResult::already_applied(rows.rows[0][0].value_or(""),
                                               "probe query found the natural key");
    }
  }

  for (const auto& step : p.steps) {
    OdbcResult r = lease->execute(step.statement->sql, step.values, timeout_s);
    if (!r.ok) return failed(lease, r, Phase::kBeforeCommit, "statement '" + step.name + "'");
  }

  if (settings_.ledger && settings_.verify_commit) {
    // psqlODBC (and MariaDB Connector/ODBC) answer SQL_SUCCESS to COMMIT of a transaction the
    // server had already aborted, or that a statement (a procedure that rolls back) ended behind
    // the driver's back: the server replies ROLLBACK or "no transaction". So before COMMIT, the
    // transaction must still see its own ledger row; an aborted PostgreSQL transaction answers
    // 25P02 instead. One round trip, and the transaction is still ours to roll back.
    Rows rows;
    OdbcResult found =
        lease->execute(ledger_select_sql_, strings({request.idempotency_key}), timeout_s, &rows, 1);
    if (!found.ok) return failed(lease, found, Phase::kBeforeCommit, "transaction check");
    if (rows.rows.empty()) {
      (void)lease->rollback();
      host_.count("odbc_phantom_commits_total");
      return sdk::WriteResult::retryable(
          "the transaction no longer sees its own ledger row before COMMIT: it was rolled back "
          "behind the driver's back (a COMMIT now would report success for nothing); not applied");
    }
  }

  OdbcResult committed = lease->commit();
  if (!committed.ok) return failed(lease, committed, Phase::kCommit, "commit");
  return sdk::WriteResult::applied(p.reference);
}

sdk::ProbeResult OdbcAdapter::probe(const sdk::ProbeRequest& request) {
  Diagnostics diag;
  ConnectionPool::Lease lease = pool_->acquire(request.deadline, &diag);
  if (!lease) return sdk::ProbeResult::unknown("connect: " + describe(diag));
  int timeout_s = timeout_for(request.deadline);
  Rows rows;
  OdbcResult r;
  if (settings_.ledger) {
    r = find_in_ledger(lease, request.idempotency_key, timeout_s, &rows);
  } else {
    // Parameters come from the record's statements' params objects (first occurrence wins).
    std::vector<BoundText> values;
    for (const auto& spec : settings_.probe_query->params) {
      const boost::json::value* v = nullptr;
      auto look = [&](const boost::json::object& step) {
        if (const auto* params = find(step, "params"); params && params->is_object()) {
          if (v == nullptr) v = find(params->as_object(), spec.name);
        }
      };
      if (const auto* list = find(request.record, "statements"); list && list->is_array()) {
        for (const auto& item : list->as_array()) {
          if (item.is_object()) look(item.as_object());
        }
      } else {
        look(request.record);
      }
      Checked checked = check_param(spec, v);
      if (!checked.value) return sdk::ProbeResult::unknown("probe_query: " + checked.error);
      values.push_back(std::move(*checked.value));
    }
    r = lease->execute(settings_.probe_query->sql, values, timeout_s, &rows, 1);
    (void)lease->rollback();
  }
  if (!r.ok) {
    if (fault_kind(r.diag, settings_.dialect) == FaultKind::kConnection) lease.discard();
    return sdk::ProbeResult::unknown(describe(r.diag));
  }
  if (rows.rows.empty()) return sdk::ProbeResult::not_found();
  return sdk::ProbeResult::applied(rows.rows[0].empty() ? "" : rows.rows[0][0].value_or(""));
}

sdk::PollResult OdbcAdapter::poll(const sdk::PollRequest& request) {
  auto it = settings_.sources.find(std::string(request.source));
  if (it == settings_.sources.end()) {
    throw std::runtime_error("no poll source named '" + std::string(request.source) + "'");
  }
  const PollSource& source = it->second;
  boost::json::object cursor = source.initial_cursor;
  if (!request.cursor.empty()) {
    boost::json::value parsed = boost::json::parse(request.cursor);
    if (!parsed.is_object()) throw std::runtime_error("poll cursor is not a JSON object");
    cursor = parsed.as_object();
  }
  uint32_t limit = request.max_records == 0 ? 100 : request.max_records;
  std::vector<BoundText> values;
  for (const auto& spec : source.query.params) {
    if (spec.name == "$limit") {
      values.push_back({std::to_string(limit), ParamType::kInteger});
      continue;
    }
    Checked checked = check_param(spec, find(cursor, spec.name));
    if (!checked.value) throw std::runtime_error("poll cursor: " + checked.error);
    values.push_back(std::move(*checked.value));
  }
  Diagnostics diag;
  ConnectionPool::Lease lease = pool_->acquire(request.deadline, &diag);
  if (!lease) throw std::runtime_error("connect: " + describe(diag));
  Rows rows;
  OdbcResult r =
      lease->execute(source.query.sql, values, timeout_for(request.deadline), &rows, limit);
  (void)lease->rollback();  // ends the read transaction; see find_in_ledger
  if (!r.ok) {
    const Diagnostics& d = r.diag;
    if (fault_kind(d, settings_.dialect) == FaultKind::kConnection) lease.discard();
    throw std::runtime_error("poll query: " + describe(d));
  }
  sdk::PollResult result;
  for (const auto& row : rows.rows) {
    boost::json::object record;
    for (size_t i = 0; i < rows.columns.size(); ++i) {
      if (row[i]) {
        record[rows.columns[i]] = *row[i];
      } else {
        record[rows.columns[i]] = nullptr;
      }
    }
    result.records.push_back(std::move(record));
  }
  if (!rows.rows.empty()) {
    const boost::json::object& last = result.records.back().as_object();
    for (const auto& column : source.cursor_columns) {
      auto found = last.find(column);
      if (found == last.end()) {
        throw std::runtime_error("poll query returns no column '" + column + "' for the cursor");
      }
      cursor[column] = found->value();
    }
  }
  result.next_cursor = boost::json::serialize(cursor);
  return result;
}

sdk::HealthResult OdbcAdapter::health(const sdk::HealthRequest& request) {
  Diagnostics diag;
  ConnectionPool::Lease lease = pool_->acquire(request.deadline, &diag);
  if (!lease) return {sdk::HealthState::kUnhealthy, "connect: " + describe(diag)};
  Rows rows;
  OdbcResult r =
      lease->execute(settings_.health_query, {}, timeout_for(request.deadline), &rows, 1);
  (void)lease->rollback();  // ends the read transaction; see find_in_ledger
  if (!r.ok) {
    const Diagnostics& d = r.diag;
    if (fault_kind(d, settings_.dialect) == FaultKind::kConnection) lease.discard();
    return {sdk::HealthState::kUnhealthy, "health query: " + describe(d)};
  }
  return {sdk::HealthState::kHealthy,
          std::string(dialect_name(settings_.dialect)) + " via " + lease->driver_name()};
}

}  // namespace coregate::plugins::odbc
