#include "tests/bench/support/gateway_process.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <stdexcept>

#include "tests/support/child_process.h"

namespace coregate::bench {

GatewayProcess::GatewayProcess(const std::filesystem::path& directory,
                               const std::string& config_json,
                               const std::map<std::string, std::string>& environment, bool fresh)
    : directory_(directory) {
  if (fresh) std::filesystem::remove_all(directory_);
  std::filesystem::create_directories(directory_);
  const auto config = directory_ / "coregate.json";
  const auto port_file = directory_ / "port";
  std::filesystem::remove(port_file);
  std::ofstream(config) << config_json;
  process_ = std::make_unique<testing::BackgroundProcess>(
      std::vector<std::string>{coregate_binary().string(), "serve", "--config", config.string(),
                               "--port-file", port_file.string()},
      log_file(), environment);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  std::optional<int> port;
  while (!port && process_->running() && std::chrono::steady_clock::now() < deadline)
    port = testing::wait_for_port_file(port_file, std::chrono::milliseconds(100));
  if (!port) {
    keep_ = true;
    throw std::runtime_error("the gateway did not start listening; see " + log_file().string());
  }
  port_ = static_cast<uint16_t>(*port);
}

GatewayProcess::~GatewayProcess() {
  stop();
  process_.reset();
  if (!keep_) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

pid_t GatewayProcess::pid() const {
  return process_->pid();
}

bool GatewayProcess::stop(int grace_s) {
  if (!process_->running()) return true;
  process_->signal(SIGTERM);
  auto result = process_->wait(std::chrono::seconds(grace_s));
  const bool graceful = result.has_value();
  if (!result) {
    process_->signal(SIGKILL);
    result = process_->wait(std::chrono::seconds(10));
  }
  if (result) {
    exit_status_ = result->exited ? "exit " + std::to_string(result->exit_code)
                                  : "signal " + std::to_string(result->signal);
  }
  return graceful;
}

std::filesystem::path coregate_binary() {
  return testing::binary_path("coregate");
}

std::filesystem::path bench_work_directory(const std::string& name) {
  return std::filesystem::path(COREGATE_BINARY_DIR) / "bench-tmp" /
         (name + "-" + std::to_string(getpid()));
}

std::filesystem::path bench_schema_directory() {
  return std::filesystem::path(COREGATE_SOURCE_DIR) / "tests/integration/intake/schemas";
}

}  // namespace coregate::bench
