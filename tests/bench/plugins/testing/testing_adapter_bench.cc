// Throughput of the testing adapter through the real ABI (dlopen'ed .so, real host buffers), so
// engine benchmarks know how much of their budget the target itself costs. Prints one table row
// per case; not a pass/fail test.
//
//   build/bench/testing_adapter_bench [--seconds S] [--dir DIR]
//
// DIR holds the journals (default: a folder under the system temp dir; put it on the disk you
// want to measure, fsync cost is the disk's).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "tests/unit/sdk/abi_test_host.h"

namespace {

using coregate::testing::AdapterHandle;
using coregate::testing::LoadedPlugin;
using coregate::testing::TestHost;
using coregate::testing::WriteCall;
using Clock = std::chrono::steady_clock;

struct Case {
  const char* name;
  std::string config;
  int threads;
  bool probe;  // measure probe of applied keys instead of writes
};

struct Figures {
  double ops_per_second;
  double p50_us, p99_us;
};

Figures run(const LoadedPlugin& plugin, const Case& c, double seconds) {
  TestHost host;
  AdapterHandle adapter(plugin.descriptor(), host, c.config, "bench");
  if (!adapter.ok()) {
    std::fprintf(stderr, "create failed for %s: %s\n", c.name, adapter.error().c_str());
    std::exit(2);
  }
  if (c.probe) {
    for (int i = 0; i < 10000; ++i) (void)adapter.write("p" + std::to_string(i));
  }
  std::vector<std::vector<double>> latencies(c.threads);
  std::vector<uint64_t> counts(c.threads);
  auto stop_at = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int t = 0; t < c.threads; ++t) {
    threads.emplace_back([&, t] {
      WriteCall call;
      call.record_json = R"({"account":"ACC-000123","amount":"125.50","currency":"ZAR",)"
                         R"("promise_date":"2026-12-01","note":"customer promised to pay"})";
      call.outcome_type = "arrangement.promise_to_pay";
      uint64_t n = 0;
      while (Clock::now() < stop_at) {
        auto before = Clock::now();
        if (c.probe) {
          (void)adapter.probe("p" + std::to_string((n * 7919 + t) % 10000));
        } else {
          call.key = "t" + std::to_string(t) + "-" + std::to_string(n);
          call.subject = "acct-" + std::to_string(n % 1000);
          (void)adapter.write(call);
        }
        latencies[t].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - before).count());
        ++n;
      }
      counts[t] = n;
    });
  }
  for (auto& th : threads) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  uint64_t total = 0;
  for (int t = 0; t < c.threads; ++t) {
    total += counts[t];
    all.insert(all.end(), latencies[t].begin(), latencies[t].end());
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0 : all[static_cast<size_t>(p * (all.size() - 1))];
  };
  return {static_cast<double>(total) / elapsed, pct(0.50), pct(0.99)};
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("coregate-testing-bench-" + std::to_string(::getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::stod(argv[i + 1]);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
  }
  std::filesystem::create_directories(dir);
  LoadedPlugin plugin(COREGATE_BINARY_DIR "/plugins/libcoregate_testing.so");
  int n = 0;
  auto journal = [&](bool fsync) {
    std::string path = (dir / ("bench-" + std::to_string(++n) + ".jsonl")).string();
    std::filesystem::remove(path);
    return std::string(R"("journal": ")") + path + R"(", "journal_fsync": )" +
           (fsync ? "true" : "false");
  };
  std::vector<Case> cases = {
      {"memory, keep_records off", R"({"keep_records": false})", 1, false},
      {"memory, keep_records off", R"({"keep_records": false})", 2, false},
      {"memory, keep_records on", R"({})", 2, false},
      {"memory, 10% retryable + 5% ambiguous",
       R"({"keep_records": false, "faults": {"write": {"retryable": 0.1, "ambiguous": 0.05}}})", 2,
       false},
      {"memory + control_file (one stat per call)",
       R"({"keep_records": false, "control_file": ")" + (dir / "control.json").string() + R"("})",
       2, false},
      {"journal, no fsync", "{" + journal(false) + "}", 2, false},
      {"journal, fsync (group commit)", "{" + journal(true) + "}", 1, false},
      {"journal, fsync (group commit)", "{" + journal(true) + "}", 8, false},
      {"journal, fsync (group commit)", "{" + journal(true) + "}", 64, false},
      {"probe of applied keys, memory", R"({})", 2, true},
  };
  std::printf("| case | threads | ops/s | p50 us | p99 us |\n|---|---:|---:|---:|---:|\n");
  for (const Case& c : cases) {
    Figures f = run(plugin, c, seconds);
    std::printf("| %s%s | %d | %.0f | %.1f | %.1f |\n", c.probe ? "" : "write, ", c.name, c.threads,
                f.ops_per_second, f.p50_us, f.p99_us);
    std::fflush(stdout);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
