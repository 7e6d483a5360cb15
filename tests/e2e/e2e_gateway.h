// The real `coregate serve` (COREGATE_BINARY_DIR/bin/coregate) for the end-to-end tests: started
// from a config text in its own folder (the SQLite store stays there across restarts), killed
// with SIGKILL at any moment and started again on a new port.
//
// Thread-safety: port() may be read from any thread (poster threads follow restarts with it);
// start/kill/stop are called from one controlling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/child_process.h"

namespace coregate::testing::e2e {

// A fresh folder under the system temp dir, removed by the caller (or left for a post-mortem).
std::filesystem::path fresh_dir(const std::string& name);

// A test's folder (fresh_dir), removed when the test ends unless it failed or COREGATE_E2E_KEEP
// is set: then its path (gateway.log, store.db) is printed for a post-mortem. Declare it before
// the processes that write into it.
class TestDir {
 public:
  explicit TestDir(const std::string& name) : path_(fresh_dir(name)) {}
  ~TestDir();
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A free loopback TCP port (bound once, then released).
int free_loopback_port();

class E2eGateway {
 public:
  // `config_json` is written to dir/coregate.json; `token` is passed as COREGATE_TOKEN (the
  // config's tokens read it with "token_env").
  E2eGateway(std::filesystem::path dir, const std::string& config_json, std::string token);
  ~E2eGateway();  // SIGKILLs a running gateway
  E2eGateway(const E2eGateway&) = delete;
  E2eGateway& operator=(const E2eGateway&) = delete;

  // Starts and waits for the port file (20 s). Throws std::runtime_error with the log tail when
  // the gateway exits or does not come up.
  void start();
  // SIGKILL: no shutdown path runs (no flush, no drain). Waits for the process to be gone.
  void kill();
  // SIGTERM and wait (the orderly shutdown), SIGKILL after 20 s.
  void stop();

  // The listening port, 0 while the gateway is down.
  uint16_t port() const { return port_.load(); }
  // How many times start() brought it up (posters see a restart as a new generation).
  int generation() const { return generation_.load(); }
  const std::string& token() const { return token_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string log_tail(size_t bytes = 4000) const;

  // After the last restart: polls until /metrics says coregate_unfinished_outcomes 0 and GET
  // /v1/outcomes lists nothing accepted or in_flight. False when `limit` passes first.
  bool wait_drained(std::chrono::milliseconds limit) const;

 private:
  std::filesystem::path dir_;
  std::string token_;
  std::unique_ptr<BackgroundProcess> process_;
  std::atomic<uint16_t> port_{0};
  std::atomic<int> generation_{0};
};

}  // namespace coregate::testing::e2e
