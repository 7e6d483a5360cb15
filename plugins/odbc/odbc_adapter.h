// The ODBC adapter: exactly-once writeback into SQL systems of record through unixODBC, probe,
// keyset polling and health (issue 6; docs/plugins/odbc.md).
//
// Write = one transaction: INSERT into the ledger table first (so a concurrent duplicate blocks on
// the primary key, then fails with a duplicate key and answers ALREADY_APPLIED), then the
// configured statements in order, then COMMIT. Nothing is applied unless COMMIT succeeds, so every
// failure before COMMIT is RETRYABLE or REJECTED; a failure at COMMIT is AMBIGUOUS (probe decides).
// Thread-safety: write, probe, health may run concurrently (bounded by the pool); poll is never
// concurrent with itself (ABI) but may run beside writes.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include <coregate/sdk/adapter.h>
#include <coregate/sdk/config.h>
#include <coregate/sdk/host.h>

#include "plugins/odbc/connection_pool.h"
#include "plugins/odbc/odbc_connection.h"
#include "plugins/odbc/settings.h"

namespace coregate::plugins::odbc {

class OdbcAdapter : public sdk::Adapter {
 public:
  // Throws sdk::ConfigError for a bad config; std::runtime_error when ledger.create is set and the
  // table cannot be created.
  OdbcAdapter(const sdk::AdapterConfig& config, sdk::Host host);

  sdk::WriteResult write(const sdk::WriteRequest& request) override;
  sdk::ProbeResult probe(const sdk::ProbeRequest& request) override;
  sdk::PollResult poll(const sdk::PollRequest& request) override;
  sdk::HealthResult health(const sdk::HealthRequest& request) override;

 private:
  struct Step {
    const SqlTemplate* statement;
    std::string name;
    std::vector<BoundText> values;
  };
  // The record's statements with every parameter checked, or why the record is refused.
  struct Plan {
    std::vector<Step> steps;
    std::string reference;
    std::string error;
  };
  Plan plan(const sdk::WriteRequest& request) const;
  sdk::WriteResult failed(ConnectionPool::Lease& lease, const OdbcResult& result, Phase phase,
                          std::string_view what) const;
  // Looks the key up in the ledger on `lease` (ending the read transaction).
  OdbcResult find_in_ledger(ConnectionPool::Lease& lease, std::string_view key, int timeout_s,
                            Rows* rows) const;
  int timeout_for(sdk::Clock::time_point deadline) const;

  std::string name_;
  sdk::Host host_;
  OdbcSettings settings_;
  std::string ledger_insert_sql_, ledger_select_sql_;
  OdbcEnvironment env_;
  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace coregate::plugins::odbc
