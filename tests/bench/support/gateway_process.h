// `coregate serve` as a child process for benchmarks: writes the given config into a
// directory, starts the binary on port 0 with --port-file, and waits until it listens.
//
// Ownership: the object owns the child and the directory. The destructor stops the child (SIGTERM,
// then SIGKILL after 30 s) and removes the directory unless keep_directory() was called.
// Errors: the constructor throws std::runtime_error when the gateway exits before it listens or
// does not listen within 10 minutes (a restart over a large store reads every unfinished outcome
// back first); the message names its log file, which is then kept.
// Thread-safety: one owner thread; pid() and port() may be read from any thread.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace coregate::testing {
class BackgroundProcess;
}

namespace coregate::bench {

class GatewayProcess {
 public:
  // `config_json` is the whole coregate.json; relative paths in it resolve against `directory`.
  // With `fresh` the directory is emptied first; without, a previous run's store is reused (a
  // restart).
  GatewayProcess(const std::filesystem::path& directory, const std::string& config_json,
                 const std::map<std::string, std::string>& environment, bool fresh = true);
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  pid_t pid() const;
  uint16_t port() const { return port_; }
  const std::filesystem::path& directory() const { return directory_; }
  std::filesystem::path log_file() const { return directory_ / "gateway.log"; }
  void keep_directory() { keep_ = true; }

  // SIGTERM and wait for the exit (graceful stop: the gateway drains and closes the store).
  // Returns false when it had to be killed after `grace_s`.
  bool stop(int grace_s = 30);
  // How the child ended ("exit 0", "signal 11", ...); empty while it runs.
  const std::string& exit_status() const { return exit_status_; }

 private:
  std::filesystem::path directory_;
  std::unique_ptr<testing::BackgroundProcess> process_;
  uint16_t port_ = 0;
  bool keep_ = false;
  std::string exit_status_;
};

// The coregate binary of this build tree (COREGATE_BINARY_DIR/bin/coregate).
std::filesystem::path coregate_binary();

// A per-run working directory under the build tree (<build>/bench-tmp/<name>-<pid>): not under
// /tmp, where other test runs on a shared machine clean up by prefix.
std::filesystem::path bench_work_directory(const std::string& name);

// Outcome schemas the intake benchmark validates against (tests/integration/intake/schemas).
std::filesystem::path bench_schema_directory();

}  // namespace coregate::bench
