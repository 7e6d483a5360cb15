// Runs a real program for integration tests: captures stdout and stderr, enforces a time limit,
// and reports whether it exited or died by a signal. POSIX only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coregate::testing {

struct ProcessResult {
  bool exited = false;  // exited normally (exit_code valid)
  int exit_code = -1;
  int signal = 0;          // the signal that ended it, when it did not exit
  bool timed_out = false;  // killed by us after the time limit
  std::string out;
  std::string err;
};

// Runs argv to completion (stdin closed), killing it with SIGKILL after `limit`.
ProcessResult run_process(const std::vector<std::string>& argv,
                          std::chrono::milliseconds limit = std::chrono::seconds(60),
                          const std::map<std::string, std::string>& extra_env = {});

// A long-running child (e.g. `coregate serve`) with its stdout/stderr sent to files.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_file,
                    const std::map<std::string, std::string>& extra_env = {});
  ~BackgroundProcess();  // SIGKILLs the child if it is still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Waits up to `limit` for the child to end; nullopt when it is still running.
  std::optional<ProcessResult> wait(std::chrono::milliseconds limit);

 private:
  pid_t pid_ = -1;
  std::optional<ProcessResult> result_;
};

// The path of a built binary: COREGATE_BINARY_DIR/bin/<name>.
std::filesystem::path binary_path(const std::string& name);

// Polls `file` until it holds a port number (written by `serve --port-file`), up to `limit`.
std::optional<int> wait_for_port_file(const std::filesystem::path& file,
                                      std::chrono::milliseconds limit);

}  // namespace coregate::testing
