// Runs the real `coregate serve` binary on port 0 for integration tests: writes a config, starts
// the process, reads the bound port from --port-file, and stops it with SIGTERM or SIGKILL.
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace coregate::testing {

inline std::filesystem::path coregate_binary() {
  return std::filesystem::path(COREGATE_BINARY_DIR) / "bin" / "coregate";
}

class GatewayProcess {
 public:
  // `config_json` is written to dir/coregate.json. `env` entries are NAME=VALUE added to the child.
  GatewayProcess(std::filesystem::path dir, std::string config_json,
                 std::vector<std::string> env = {})
      : dir_(std::move(dir)), env_(std::move(env)) {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "coregate.json") << config_json;
  }
  ~GatewayProcess() {
    if (pid_ > 0) kill(SIGKILL);
  }

  // Starts and waits until the port file appears. Throws with the log when it does not.
  void start() {
    std::filesystem::remove(port_file());
    const std::string binary = coregate_binary().string();
    const std::string config = (dir_ / "coregate.json").string();
    const std::string port = port_file().string();
    const std::string log = (dir_ / "gateway.log").string();
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& item : env_) putenv(const_cast<char*>(item.c_str()));
      FILE* out = freopen(log.c_str(), "a", stderr);
      (void)out;
      FILE* out2 = freopen(log.c_str(), "a", stdout);
      (void)out2;
      execl(binary.c_str(), binary.c_str(), "serve", "--config", config.c_str(), "--port-file",
            port.c_str(), "--log-format", "json", static_cast<char*>(nullptr));
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (std::filesystem::exists(port_file())) {
        std::ifstream in(port_file());
        int value = 0;
        if (in >> value && value > 0) {
          port_ = static_cast<uint16_t>(value);
          return;
        }
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("gateway exited during start-up:\n" + log_text());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("gateway did not report a port within 20s:\n" + log_text());
  }

  // Sends `signal` and waits for the process; returns its wait status.
  int kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  bool running() {
    if (pid_ <= 0) return false;
    int status = 0;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }

  uint16_t port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path port_file() const { return dir_ / "port"; }
  std::string log_text() const {
    std::ifstream in(dir_ / "gateway.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::filesystem::path dir_;
  std::vector<std::string> env_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace coregate::testing
