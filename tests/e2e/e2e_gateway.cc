#include "tests/e2e/e2e_gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/e2e/gateway_api.h"

namespace coregate::testing::e2e {
namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  std::string pattern = (fs::temp_directory_path() / ("coregate-e2e-" + name + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

TestDir::~TestDir() {
  if (::testing::Test::HasFailure() || std::getenv("COREGATE_E2E_KEEP") != nullptr) {
    std::cout << "[e2e] kept " << path_.string() << " (gateway.log, store.db)" << std::endl;
    return;
  }
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("could not find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

E2eGateway::E2eGateway(fs::path dir, const std::string& config_json, std::string token)
    : dir_(std::move(dir)), token_(std::move(token)) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "coregate.json") << config_json;
}

E2eGateway::~E2eGateway() {
  kill();
}

void E2eGateway::start() {
  if (process_) throw std::logic_error("gateway already running");
  const fs::path port_file = dir_ / "port";
  fs::remove(port_file);
  process_ = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{binary_path("coregate").string(), "serve", "--config",
                               (dir_ / "coregate.json").string(), "--port-file", port_file.string(),
                               "--log-format", "json"},
      dir_ / "gateway.log", std::map<std::string, std::string>{{"COREGATE_TOKEN", token_}});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(port_file);
    int value = 0;
    if (in >> value && value > 0) {
      port_ = static_cast<uint16_t>(value);
      ++generation_;
      return;
    }
    if (!process_->running()) {
      process_.reset();
      throw std::runtime_error("gateway exited during start-up:\n" + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  throw std::runtime_error("gateway reported no port within 20 s:\n" + log_tail());
}

void E2eGateway::kill() {
  port_ = 0;
  if (!process_) return;
  process_->signal(SIGKILL);
  (void)process_->wait(std::chrono::seconds(10));
  process_.reset();
}

void E2eGateway::stop() {
  port_ = 0;
  if (!process_) return;
  process_->signal(SIGTERM);
  if (!process_->wait(std::chrono::seconds(20))) process_->signal(SIGKILL);
  (void)process_->wait(std::chrono::seconds(10));
  process_.reset();
}

std::string E2eGateway::log_tail(size_t bytes) const {
  std::ifstream in(dir_ / "gateway.log");
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

bool E2eGateway::wait_drained(std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      const auto unfinished = metric_value(port(), "coregate_unfinished_outcomes");
      if (unfinished && *unfinished == 0 && list_outcomes(port(), token_, "accepted").empty() &&
          list_outcomes(port(), token_, "in_flight").empty()) {
        return true;
      }
    } catch (const std::exception&) {
      // Not answering yet: keep polling until the limit.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

}  // namespace coregate::testing::e2e
