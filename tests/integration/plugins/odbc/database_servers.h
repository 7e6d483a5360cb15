// Real database servers for the ODBC integration suite, started by the test itself in temp dirs:
// PostgreSQL 15 (initdb + postgres) and MariaDB (mariadb-install-db + mariadbd), each as an
// unprivileged system user (both refuse root) on a free 127.0.0.1 port, plus a SQLite file.
// Each start is bounded in time; the destructor stops the server (SIGKILL as a last resort) and
// removes the temp dir, so a failing test still cleans up.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/child_process.h"

namespace coregate::testing::odbc {

enum class Backend { kSqlite, kPostgres, kMariadb };
std::string backend_name(Backend backend);

class DatabaseServer {
 public:
  // Why the backend cannot run here (binary missing), or empty.
  static std::string unavailable_reason(Backend backend);

  // Creates the data dir and starts the server. Throws std::runtime_error with the server's log
  // tail when it does not come up within the limit.
  explicit DatabaseServer(Backend backend);
  ~DatabaseServer();
  DatabaseServer(const DatabaseServer&) = delete;
  DatabaseServer& operator=(const DatabaseServer&) = delete;

  Backend backend() const { return backend_; }
  // DSN-less connection string for the plugin and raw connections.
  std::string connection_string() const;
  bool has_server() const { return backend_ != Backend::kSqlite; }
  bool running() const { return process_ != nullptr; }

  // Fast shutdown (PostgreSQL SIGINT, MariaDB SIGTERM), waiting for the process to end.
  void stop();
  // SIGKILL: the server dies without closing sessions cleanly.
  void kill();
  void start();  // after stop() or kill(); same port and data

 private:
  void initialise_and_start();  // initdb / install-db, then start()
  void wait_ready(std::chrono::seconds limit);
  std::string log_tail() const;

  Backend backend_;
  std::filesystem::path dir_;
  int port_ = 0;
  std::unique_ptr<BackgroundProcess> process_;
};

// The one server per backend of this test binary, started on first use and stopped at exit.
DatabaseServer& shared_server(Backend backend);
void stop_shared_servers();

}  // namespace coregate::testing::odbc
