// A throwaway PostgreSQL 15 cluster for the ODBC end-to-end test: initdb in a temp folder, the
// postmaster on a free 127.0.0.1 port (as an unprivileged system user when run as root: the
// server refuses root), trust authentication for "postgres". SQL is run with psql, so the checks
// do not share a client library with the plugin under test.
//
// The same approach as tests/integration/plugins/odbc/database_servers.cc, kept to what this test
// needs (that folder is the plugin's own and is not shared).
// Not thread-safe: one controlling thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace coregate::testing::e2e {

class PostgresCluster {
 public:
  // Why the cluster cannot run here (server binaries or psqlODBC missing), or "".
  static std::string unavailable_reason();

  // initdb + start. Throws std::runtime_error (with the server log) when it fails.
  PostgresCluster();
  ~PostgresCluster();  // stops the server and removes its folder
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  int port() const { return port_; }
  // DSN-less psqlODBC connection string for the gateway's odbc adapter.
  std::string odbc_connection_string() const;

  // Fast shutdown (SIGINT: open sessions are terminated) and wait; then start on the same port.
  void stop();
  void start();

  // Runs SQL with psql; the rows of the last statement, each a vector of column texts. Throws
  // with psql's error on failure.
  std::vector<std::vector<std::string>> query(const std::string& sql) const;

 private:
  void wait_ready(std::chrono::seconds limit);
  std::string log_tail() const;

  std::filesystem::path dir_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> server_;
};

}  // namespace coregate::testing::e2e
