// REST writeback throughput: `rest_bench [--seconds N] [--threads N] [--nginx-workers N]`.
// Starts nginx (Debian's nginx-light) on a free loopback port with a temporary config answering
// every POST with 201 and a JSON body, loads libcoregate_rest.so through the gateway's plugin
// host, and runs N threads calling write on ONE adapter instance (concurrency = threads, so one
// keep-alive session per thread). Then runs `wrk` with as many connections against the same
// nginx and prints both figures, plus nginx's accepted-connection count to show keep-alive held.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/plugin_host/adapter_instance.h"
#include "gateway/plugin_host/host_services.h"
#include "gateway/plugin_host/plugin_catalog.h"
#include "tests/support/child_process.h"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace coregate;

namespace {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

std::string stub_status(int port) {
  return run("curl -s http://127.0.0.1:" + std::to_string(port) + "/nginx_status");
}

long accepted(const std::string& status) {
  std::smatch m;
  std::regex re("\\n\\s*(\\d+)\\s+(\\d+)\\s+(\\d+)");
  return std::regex_search(status, m, re) ? std::stol(m[1]) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 10, threads = 64, workers = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--seconds") seconds = std::stoi(argv[i + 1]);
    if (a == "--threads") threads = std::stoi(argv[i + 1]);
    if (a == "--nginx-workers") workers = std::stoi(argv[i + 1]);
  }
  fs::path dir = fs::temp_directory_path() / ("coregate-rest-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir / "logs");
  int port = free_port();
  {
    std::ofstream conf(dir / "nginx.conf");
    conf << "daemon off;\nworker_processes " << workers << ";\npid " << (dir / "nginx.pid").string()
         << ";\nerror_log " << (dir / "logs/error.log").string() << ";\n"
         << "events { worker_connections 1024; }\n"
         << "http {\n  access_log off;\n  keepalive_requests 10000000;\n  keepalive_timeout 120s;\n"
         << "  client_body_temp_path " << (dir / "body").string() << ";\n"
         << "  server {\n    listen 127.0.0.1:" << port << ";\n"
         << "    location = /nginx_status { stub_status; }\n"
         << "    location / { default_type application/json; return 201 '{\"id\":\"r-1\"}'; }\n"
         << "  }\n}\n";
  }
  testing::BackgroundProcess nginx(
      {"/usr/sbin/nginx", "-p", dir.string(), "-c", (dir / "nginx.conf").string()},
      dir / "logs/nginx.out");
  for (int i = 0; i < 100 && stub_status(port).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (stub_status(port).empty()) {
    std::cerr << "nginx did not start; see " << (dir / "logs").string() << "\n";
    return 1;
  }

  auto catalog = plugin_host::PluginCatalog::discover({fs::path(COREGATE_BINARY_DIR) / "plugins"});
  auto plugin = catalog.find("rest");
  if (!plugin) {
    std::cerr << "libcoregate_rest.so not found\n";
    return 1;
  }
  json::object cfg{{"base_url", "http://127.0.0.1:" + std::to_string(port)},
                   {"concurrency", threads},
                   {"read_timeout_ms", 5000},
                   {"operations",
                    {{"promise_to_pay",
                      {{"path", "/accounts/{account_id}/arrangements"},
                       {"reference", {{"json_pointer", "/id"}}}}}}}};
  auto created = plugin_host::AdapterInstance::create(plugin, "bench", json::serialize(cfg),
                                                      plugin_host::default_host_services());
  if (!created.adapter) {
    std::cerr << "create failed: " << created.error << "\n";
    return 1;
  }
  auto& adapter = *created.adapter;
  long accepted_before = accepted(stub_status(port));
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> applied{0}, other{0};
  std::vector<std::thread> pool;
  std::string first_error;
  std::mutex error_mutex;
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::string record = json::serialize(
          json::object{{"account_id", "A" + std::to_string(t)},
                       {"body", {{"amount", "150.00"}, {"currency", "ZAR"}, {"channel", "sms"}}}});
      uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        std::string key = "bench-" + std::to_string(t) + "-" + std::to_string(++n);
        plugin_host::WriteCall call;
        call.idempotency_key = key;
        call.outcome_id = key;
        call.outcome_type = "arrangement.promise_to_pay";
        call.subject = "A";
        call.record_json = record;
        call.deadline_unix_ms = now_ms() + 10000;
        auto r = adapter.write(call);
        if (r.write_class == sdk::WriteClass::kApplied) {
          applied.fetch_add(1, std::memory_order_relaxed);
        } else {
          other.fetch_add(1, std::memory_order_relaxed);
          std::lock_guard lock(error_mutex);
          if (first_error.empty()) first_error = r.diagnostic;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : pool) t.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  long accepted_after = accepted(stub_status(port));
  double rate = static_cast<double>(applied.load()) / elapsed;

  // The ceiling: wrk, same connections, same body and headers, against the same nginx.
  fs::path lua = dir / "post.lua";
  std::ofstream(lua)
      << "wrk.method = 'POST'\n"
      << "wrk.body = '{\"amount\":\"150.00\",\"currency\":\"ZAR\",\"channel\":\"sms\"}'\n"
      << "wrk.headers['Content-Type'] = 'application/json'\n"
      << "wrk.headers['Accept'] = 'application/json'\n"
      << "wrk.headers['Idempotency-Key'] = 'bench-wrk-0000000001'\n";
  std::string wrk = run("wrk -t2 -c" + std::to_string(threads) + " -d" + std::to_string(seconds) +
                        "s -s " + lua.string() + " http://127.0.0.1:" + std::to_string(port) +
                        "/accounts/A1/arrangements 2>&1");
  std::smatch m;
  std::regex rps("Requests/sec:\\s+([0-9.]+)");
  std::string wrk_rate = std::regex_search(wrk, m, rps) ? m[1].str() : "?";

  std::printf("rest_bench: %d threads on one adapter (concurrency %d), %d nginx worker(s), %d s\n",
              threads, threads, workers, seconds);
  std::printf("  plugin write hook : %10.0f writebacks/s applied (%llu applied, %llu other)\n",
              rate, static_cast<unsigned long long>(applied.load()),
              static_cast<unsigned long long>(other.load()));
  std::printf("  wrk ceiling       : %10s requests/s (-t2 -c%d)\n", wrk_rate.c_str(), threads);
  std::printf(
      "  nginx connections accepted during the plugin run: %ld (keep-alive: one per session)\n",
      accepted_before >= 0 && accepted_after >= 0 ? accepted_after - accepted_before - 1 : -1);
  if (!first_error.empty())
    std::printf("  first non-applied diagnostic: %s\n", first_error.c_str());
  std::printf("  load: %s", run("uptime").c_str());
  nginx.signal(SIGTERM);
  (void)nginx.wait(std::chrono::seconds(5));
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
