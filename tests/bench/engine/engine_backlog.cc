// A large backlog while the target is down (issue 4, performance item 3): memory and intake
// latency with --pending outcomes (default 1,000,000) waiting for an adapter whose breaker is open.
//
// Starts build/bin/coregate serve (child process, fresh store) with the testing adapter "core"
// answering every write RETRYABLE (faults.write.retryable = 1.0), so its circuit breaker opens
// after the first few failures and the rest wait without being attempted. Then:
//   1. load: posts --pending outcomes as fast as the gateway takes them (64 connections × 8
//      pipelined), printing RSS and the adapter's queue depth as it goes;
//   0. control: the probe below with nothing pending (--no-control-probe skips it);
//   2. probe: with the backlog in place, posts at a paced --probe-rate (default 200/s) for
//      --probe-seconds and reports POST latency from each request's scheduled send time;
//   3. prints the gateway's RSS (VmRSS now, VmHWM peak), the breaker state and how many write
//      attempts the adapter saw while the backlog waited;
//   4. with --restart, stops the gateway, starts it again on the same store and reports how long
//      it took to read the backlog back and the RSS after that.
//
//   build/bench/engine_backlog                      # 1,000,000 pending
//   build/bench/engine_backlog --pending 100000     # quicker
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "tests/bench/engine/engine_gateway.h"
#include "tests/bench/support/gateway_process.h"
#include "tests/bench/support/outcome_load.h"
#include "tests/bench/support/proc_stats.h"

namespace bench = coregate::bench;
using bench::Clock;

namespace {

struct Options {
  uint64_t pending = 1'000'000;
  int connections = 64;
  int pipeline = 8;
  int body_bytes = 1024;
  double probe_rate = 200;
  double probe_seconds = 20;
  int probe_connections = 8;
  int concurrency = 8;
  bool restart = false;
  bool keep = false;          // leave the directory (store, log) in place at the end
  bool control_probe = true;  // probe once before loading (nothing pending)
  std::string directory;
};

double mib(long kib) {
  return static_cast<double>(kib) / 1024.0;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bench::EngineScenario scenario(const Options& o) {
  bench::EngineScenario s;
  s.directory = o.directory;
  s.adapter_concurrency = o.concurrency;
  s.testing["faults"] = boost::json::object{{"write", boost::json::object{{"retryable", 1.0}}}};
  return s;
}

// Prints RSS and queue depth every few seconds from a side thread while a phase runs.
class ProgressPrinter {
 public:
  ProgressPrinter(pid_t pid, uint16_t port, double every_s)
      : pid_(pid), port_(port), every_s_(every_s), thread_([this] { run(); }) {}
  ~ProgressPrinter() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    const auto start = Clock::now();
    auto next = start;
    while (!stop_) {
      if (Clock::now() >= next) {
        next += std::chrono::milliseconds(static_cast<int64_t>(every_s_ * 1000));
        const auto figures = bench::read_adapter(port_, "core");
        std::printf("  t=%5.1fs  queue_depth=%8llu  breaker=%-9s  RSS=%6.1f MiB  load=%.2f\n",
                    seconds_since(start),
                    static_cast<unsigned long long>(figures ? figures->queue_depth : 0),
                    figures ? figures->breaker.c_str() : "?", mib(bench::status_kib(pid_, "VmRSS")),
                    bench::load_average_1m());
        std::fflush(stdout);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  pid_t pid_;
  uint16_t port_;
  double every_s_;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: starts after the members it uses exist
};

void print_adapter(uint16_t port, const char* when) {
  const auto f = bench::read_adapter(port, "core");
  const auto attempts = bench::read_metric(port, "coregate_writeback_attempts_total");
  const auto unfinished = bench::read_metric(port, "coregate_unfinished_outcomes");
  if (!f) {
    std::printf("%s: /v1/adapters/core did not answer\n", when);
    return;
  }
  std::printf(
      "%s: queue_depth=%llu unfinished=%.0f breaker=%s state=%s applied=%llu failed=%llu "
      "retries=%llu attempts_total=%.0f oldest_pending=%.0fs\n",
      when, static_cast<unsigned long long>(f->queue_depth), unfinished.value_or(-1),
      f->breaker.c_str(), f->state.c_str(), static_cast<unsigned long long>(f->applied),
      static_cast<unsigned long long>(f->failed), static_cast<unsigned long long>(f->retries),
      attempts.value_or(-1), f->oldest_pending_age_seconds);
}

void print_memory(pid_t pid, const char* when) {
  std::printf("%s: gateway VmRSS=%.1f MiB VmHWM=%.1f MiB\n", when,
              mib(bench::status_kib(pid, "VmRSS")), mib(bench::status_kib(pid, "VmHWM")));
}

bench::LoadOptions base_load(uint16_t port, const Options& o, const std::string& name) {
  bench::LoadOptions load;
  load.port = port;
  load.token = bench::kBenchToken;
  load.key_prefix = "backlog-" + name + "-" + std::to_string(getpid());
  const size_t body_bytes = static_cast<size_t>(o.body_bytes);
  load.body = [body_bytes, name](int connection, uint64_t sequence) {
    return bench::promise_to_pay_body(
        "acct-" + name + "-" + std::to_string(connection) + "-" + std::to_string(sequence),
        body_bytes);
  };
  return load;
}

struct ProbeFigures {
  double attempts = 0;  // write attempts the adapter saw meanwhile
  uint64_t errors = 0;  // failed connections
};

// Paced POSTs for --probe-seconds; prints their latency.
ProbeFigures probe_latency(uint16_t port, const Options& o, const std::string& name) {
  const auto attempts_before = bench::read_metric(port, "coregate_writeback_attempts_total");
  bench::LoadOptions probe = base_load(port, o, name);
  probe.connections = o.probe_connections;
  probe.pipeline = 1;
  probe.rate = o.probe_rate;
  probe.warmup_s = 1;
  probe.duration_s = o.probe_seconds;
  bench::LoadResult probed = bench::run_outcome_load(probe);
  std::sort(probed.latencies_us.begin(), probed.latencies_us.end());
  const auto attempts_after = bench::read_metric(port, "coregate_writeback_attempts_total");
  std::printf("%s: %.0f/s paced for %.0f s: accepted=%llu non-202=%llu errors=%llu\n", name.c_str(),
              o.probe_rate, o.probe_seconds, static_cast<unsigned long long>(probed.accepted),
              static_cast<unsigned long long>(probed.other),
              static_cast<unsigned long long>(probed.errors));
  std::printf("%s_latency_ms p50=%.2f p99=%.2f p99.9=%.2f max=%.2f  (load average %.2f)\n",
              name.c_str(), bench::percentile_ms(probed.latencies_us, 50),
              bench::percentile_ms(probed.latencies_us, 99),
              bench::percentile_ms(probed.latencies_us, 99.9),
              probed.latencies_us.empty() ? 0.0 : probed.latencies_us.back() / 1000.0,
              bench::load_average_1m());
  return {attempts_after.value_or(0) - attempts_before.value_or(0), probed.errors};
}

int run(const Options& o) {
  std::printf(
      "engine_backlog: pending=%llu body=%dB probe=%.0f/s for %.0fs on %d connections, "
      "adapter concurrency %d\n",
      static_cast<unsigned long long>(o.pending), o.body_bytes, o.probe_rate, o.probe_seconds,
      o.probe_connections, o.concurrency);
  std::printf("load average (1 min) before: %.2f\n", bench::load_average_1m());
  const std::string config = bench::engine_config_json(scenario(o));
  auto gateway = std::make_unique<bench::GatewayProcess>(
      o.directory, config,
      std::map<std::string, std::string>{{"COREGATE_TOKEN", bench::kBenchToken}});
  const uint16_t port = gateway->port();
  pid_t pid = gateway->pid();

  // 0. The same probe with nothing pending: the control for the figure under the backlog.
  if (o.control_probe) (void)probe_latency(port, o, "control_probe");

  // 1. Load the backlog.
  std::printf("load: posting %llu outcomes\n", static_cast<unsigned long long>(o.pending));
  bench::LoadOptions load = base_load(port, o, "load");
  load.connections = o.connections;
  load.pipeline = o.pipeline;
  load.total_requests = o.pending;
  bench::LoadResult loaded;
  {
    ProgressPrinter progress(pid, port, 10);
    loaded = bench::run_outcome_load(load);
  }
  std::printf("load: accepted=%llu non-202=%llu errors=%llu in %.1f s = %.0f/s%s%s\n",
              static_cast<unsigned long long>(loaded.accepted),
              static_cast<unsigned long long>(loaded.other),
              static_cast<unsigned long long>(loaded.errors), loaded.seconds(),
              loaded.accepted / std::max(1e-9, loaded.seconds()),
              loaded.other ? "  first non-202: " : "", loaded.first_other.c_str());
  std::this_thread::sleep_for(std::chrono::seconds(2));  // let the last commits settle
  print_adapter(port, "after load");
  print_memory(pid, "after load");

  // 2. Intake latency with the backlog in place.
  const ProbeFigures probed = probe_latency(port, o, "probe");
  std::printf("write attempts during the probe: %.0f (the breaker's trial calls only)\n",
              probed.attempts);
  print_adapter(port, "after probe");
  print_memory(pid, "after probe");

  // 3. Restart over the backlog.
  bool keep_for_diagnosis = false;
  if (o.restart) {
    const auto before = bench::read_metric(port, "coregate_unfinished_outcomes");
    const auto stop_start = Clock::now();
    const bool graceful = gateway->stop(120);
    std::printf("restart: graceful stop %s after %.1f s (%s)\n", graceful ? "finished" : "KILLED",
                seconds_since(stop_start), gateway->exit_status().c_str());
    gateway->keep_directory();
    gateway.reset();
    const auto start = Clock::now();
    gateway = std::make_unique<bench::GatewayProcess>(
        o.directory, config,
        std::map<std::string, std::string>{{"COREGATE_TOKEN", bench::kBenchToken}}, false);
    std::printf("restart: listening %.1f s after start (the backlog is read back first)\n",
                seconds_since(start));
    pid = gateway->pid();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    print_adapter(gateway->port(), "after restart");
    print_memory(pid, "after restart");
    const auto after = bench::read_metric(gateway->port(), "coregate_unfinished_outcomes");
    if (before.value_or(0) > after.value_or(0)) {
      std::printf("RESTART LOST WORK: %.0f unfinished before the stop, %.0f after the restart\n",
                  before.value_or(0), after.value_or(0));
      gateway->keep_directory();
      keep_for_diagnosis = true;
    }
  }
  std::printf("load average (1 min) after: %.2f\n", bench::load_average_1m());
  if (o.keep || keep_for_diagnosis) {
    gateway->keep_directory();
    std::printf("kept %s\n", o.directory.c_str());
  }
  if (!gateway->stop()) std::printf("WARNING: the gateway did not stop within 30 s\n");
  return loaded.errors == 0 && probed.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.directory = bench::bench_work_directory("engine-backlog").string();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--pending")
      o.pending = std::stoull(value());
    else if (arg == "--connections")
      o.connections = std::stoi(value());
    else if (arg == "--pipeline")
      o.pipeline = std::max(1, std::stoi(value()));
    else if (arg == "--body-bytes")
      o.body_bytes = std::stoi(value());
    else if (arg == "--probe-rate")
      o.probe_rate = std::stod(value());
    else if (arg == "--probe-seconds")
      o.probe_seconds = std::stod(value());
    else if (arg == "--probe-connections")
      o.probe_connections = std::stoi(value());
    else if (arg == "--concurrency")
      o.concurrency = std::stoi(value());
    else if (arg == "--restart")
      o.restart = true;
    else if (arg == "--keep")
      o.keep = true;
    else if (arg == "--no-control-probe")
      o.control_probe = false;
    else if (arg == "--dir")
      o.directory = value();
    else {
      std::cerr << "usage: engine_backlog [--pending N] [--connections N] [--pipeline N]\n"
                   "  [--body-bytes B] [--probe-rate R] [--probe-seconds S]\n"
                   "  [--probe-connections N] [--concurrency N] [--restart] [--keep] "
                   "[--no-control-probe]\n  [--dir DIR]\n";
      return 2;
    }
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "engine_backlog: " << e.what() << "\n";
    return 1;
  }
}
