// Shared fixture of the ODBC integration suite: one real server per backend (started once per
// test binary), the real plugin loaded through the C ABI (abi_test_host.h), fresh tables per test
// and a raw second connection for fault injection and read-back.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "plugins/odbc/odbc_connection.h"
#include "tests/integration/plugins/odbc/database_servers.h"
#include "tests/unit/sdk/abi_test_host.h"

namespace coregate::testing::odbc {

inline const char* class_name(int32_t c) {
  switch (c) {
    case CG_WRITE_APPLIED:
      return "APPLIED";
    case CG_WRITE_ALREADY_APPLIED:
      return "ALREADY_APPLIED";
    case CG_WRITE_RETRYABLE:
      return "RETRYABLE";
    case CG_WRITE_REJECTED:
      return "REJECTED";
    case CG_WRITE_AMBIGUOUS:
      return "AMBIGUOUS";
  }
  return "?";
}

// A raw connection (the "second session" of the fault tests), autocommit off.
class RawSession {
 public:
  explicit RawSession(const std::string& connection_string);
  // Runs one statement; fails the test on error.
  void run(const std::string& sql);
  // Runs one statement and returns what happened (for statements expected to fail).
  plugins::odbc::OdbcResult try_run(const std::string& sql);
  plugins::odbc::Rows query(const std::string& sql);
  void commit();
  void rollback();
  plugins::odbc::Connection& connection() { return *connection_; }

 private:
  std::unique_ptr<plugins::odbc::Connection> connection_;
};

class OdbcPluginTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Backend backend() const { return GetParam(); }
  DatabaseServer& server() { return *server_; }
  std::string connection_string() const { return server_->connection_string(); }
  // The suite's adapter config for this backend (ledger created at create).
  boost::json::object config() const;
  // A new adapter over `cfg` through the ABI; fails the test when create fails.
  std::unique_ptr<AdapterHandle> adapter(const boost::json::object& cfg);
  std::unique_ptr<AdapterHandle> adapter() { return adapter(config()); }

  // {"statement": "insert_arrangement", "params": {...}} as JSON text.
  static std::string insert_record(const std::string& ext_ref, const boost::json::value& account,
                                   const boost::json::value& amount,
                                   const boost::json::value& note = nullptr);
  WriteOutcome write(AdapterHandle& a, const std::string& key, const std::string& record,
                     int64_t deadline_ms = 5000);
  int64_t count(const std::string& sql);
  // Prints a line the docs' classification table is built from.
  void observed(const std::string& fault, const WriteOutcome& o);

  static std::unique_ptr<LoadedPlugin> plugin_;
  TestHost host_;
  DatabaseServer* server_ = nullptr;
  std::unique_ptr<RawSession> raw_;
};

}  // namespace coregate::testing::odbc
