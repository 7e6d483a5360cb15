// POST → applied throughput of the writeback engine (issue 4, performance items 1 and 2).
//
// Starts build/bin/coregate serve (child process, fresh SQLite store, synchronous=FULL) with one
// testing adapter "core" that every outcome type is routed to, posts --outcomes distinct outcomes
// over keep-alive connections (the intake benchmark's load generator), and polls
// GET /v1/adapters/core every 10 ms until the adapter's applied + failed count reaches the number
// of 202s. Prints:
//   end to end   accepted / (first POST → last outcome applied)
//   intake       accepted / (first POST → last 202), with the engine running beside it
//   drain        time from the last 202 to the last outcome applied, and the rate over it
// plus POST latency, gateway CPU, context switches and storage writes per outcome, the gateway
// threads that used the CPU, peak RSS. With --baseline it first runs the same load against a
// gateway without plans (intake alone). Figures and method: docs/benchmarks/engine.md.
//
//   build/bench/engine_throughput --outcomes 200000 --concurrency 256       # zero-latency adapter
//   build/bench/engine_throughput --outcomes 75000 --latency-ms 20 --concurrency 64 --rate 2500
//       --pipeline 1                                                          # 20 ms, paced
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/engine/engine_gateway.h"
#include "tests/bench/support/gateway_process.h"
#include "tests/bench/support/outcome_load.h"
#include "tests/bench/support/proc_stats.h"

namespace bench = coregate::bench;
using bench::Clock;

namespace {

struct Options {
  uint64_t outcomes = 300'000;
  int connections = 64;
  int pipeline = 8;
  double rate = 0;  // paced POSTs per second; 0 = as fast as the gateway answers
  int latency_ms = 0;
  int concurrency = 64;
  uint64_t subjects = 0;  // 0: every outcome its own subject
  int body_bytes = 1024;
  int http_threads = 0;
  bool journal = false;  // testing adapter journals every write to a file
  bool journal_fsync = true;
  bool baseline = false;
  double drain_timeout_s = 300;
  std::string directory;
};

// Follows the adapter's applied + failed count from a side thread until it reaches the target.
class DrainWatcher {
 public:
  explicit DrainWatcher(uint16_t port) : port_(port), thread_([this] { run(); }) {}
  ~DrainWatcher() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  void set_target(uint64_t done) { target_ = done; }

  // Blocks until the target is reached (true) or `timeout` passes (false).
  bool wait(std::chrono::duration<double> timeout) {
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout);
    while (!reached_) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  Clock::time_point reached_at() const { return reached_at_; }
  bench::AdapterFigures last() {
    std::lock_guard lock(mutex_);
    return last_;
  }
  // Applied + failed at time t (the last sample at or before t).
  uint64_t done_at(Clock::time_point t) {
    std::lock_guard lock(mutex_);
    uint64_t done = 0;
    for (const auto& [at, value] : samples_) {
      if (at > t) break;
      done = value;
    }
    return done;
  }

 private:
  void run() {
    while (!stop_) {
      const auto figures = bench::read_adapter(port_, "core");
      const auto now = Clock::now();
      if (figures) {
        const uint64_t done = figures->applied + figures->failed;
        {
          std::lock_guard lock(mutex_);
          last_ = *figures;
          samples_.emplace_back(now, done);
        }
        const uint64_t target = target_;
        if (target > 0 && done >= target && !reached_) {
          reached_at_ = now;
          reached_ = true;
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  uint16_t port_;
  std::atomic<uint64_t> target_{0};
  std::atomic<bool> reached_{false}, stop_{false};
  Clock::time_point reached_at_{};
  std::mutex mutex_;
  bench::AdapterFigures last_;
  std::vector<std::pair<Clock::time_point, uint64_t>> samples_;
  std::thread thread_;  // last: starts after the members it uses exist
};

bench::LoadOptions load_options(const Options& o, uint16_t port, const std::string& run_name) {
  bench::LoadOptions load;
  load.port = port;
  load.token = bench::kBenchToken;
  load.connections = o.connections;
  load.pipeline = o.pipeline;
  load.rate = o.rate;
  load.total_requests = o.outcomes;
  load.key_prefix = "engine-" + run_name + "-" + std::to_string(getpid());
  const int connections = o.connections;
  const uint64_t subjects = o.subjects;
  const size_t body_bytes = static_cast<size_t>(o.body_bytes);
  load.body = [connections, subjects, body_bytes](int connection, uint64_t sequence) {
    std::string subject;
    if (subjects == 0) {
      subject = "acct-" + std::to_string(connection) + "-" + std::to_string(sequence);
    } else {
      subject = "acct-" + std::to_string((sequence * connections + connection) % subjects);
    }
    return bench::promise_to_pay_body(subject, body_bytes);
  };
  return load;
}

bench::EngineScenario scenario(const Options& o, bool plans) {
  bench::EngineScenario s;
  s.directory = o.directory;
  s.plans = plans;
  s.http_threads = o.http_threads;
  s.adapter_concurrency = o.concurrency;
  s.testing["latency_ms"] = o.latency_ms;
  if (o.journal) {
    s.testing["journal"] = (s.directory / "testing-journal.jsonl").string();
    s.testing["journal_fsync"] = o.journal_fsync;
  }
  return s;
}

void print_threads(pid_t pid, const std::vector<bench::ThreadCpu>& before, double wall_s) {
  const auto delta = bench::thread_cpu_delta(before, bench::thread_cpu(pid));
  std::printf("gateway threads by CPU over the run (tid: CPU s, share of one core):");
  int shown = 0;
  double rest = 0;
  for (const auto& t : delta) {
    if (shown < 6 && t.cpu_seconds >= 0.01) {
      std::printf(" %d: %.2f s %.0f%%;", t.tid, t.cpu_seconds, 100 * t.cpu_seconds / wall_s);
      ++shown;
    } else {
      rest += t.cpu_seconds;
    }
  }
  std::printf(" others %.2f s\n", rest);
}

// Intake alone: the same load, a gateway without plans (nothing is written back).
void run_baseline(const Options& o) {
  bench::GatewayProcess gateway(o.directory, bench::engine_config_json(scenario(o, false)),
                                {{"COREGATE_TOKEN", bench::kBenchToken}});
  const auto threads_before = bench::thread_cpu(gateway.pid());
  const double cpu_before = bench::process_cpu_seconds(gateway.pid());
  const long switches_before = bench::context_switches(gateway.pid());
  const long long written_before = bench::io_counter(gateway.pid(), "write_bytes");
  bench::LoadResult r = bench::run_outcome_load(load_options(o, gateway.port(), "baseline"));
  const long long written = bench::io_counter(gateway.pid(), "write_bytes") - written_before;
  const double cpu = bench::process_cpu_seconds(gateway.pid()) - cpu_before;
  const long switches = bench::context_switches(gateway.pid()) - switches_before;
  std::sort(r.latencies_us.begin(), r.latencies_us.end());
  std::printf(
      "baseline (no plans, intake alone): accepted=%llu in %.2f s = %.0f/s  p50=%.1f ms "
      "p99=%.1f ms  gateway CPU %.1f us/outcome\n",
      static_cast<unsigned long long>(r.accepted), r.seconds(), r.accepted / r.seconds(),
      bench::percentile_ms(r.latencies_us, 50), bench::percentile_ms(r.latencies_us, 99),
      1e6 * cpu / std::max<double>(1, static_cast<double>(r.accepted)));
  std::printf(
      "baseline: gateway context switches %.1f per outcome; %.1f KiB written to storage "
      "per outcome; ",
      static_cast<double>(switches) / std::max<double>(1, static_cast<double>(r.accepted)),
      static_cast<double>(written) / 1024.0 / std::max<double>(1, static_cast<double>(r.accepted)));
  print_threads(gateway.pid(), threads_before, r.seconds());
}

int run(const Options& o) {
  std::printf(
      "engine_throughput: outcomes=%llu connections=%d pipeline=%d rate=%.0f latency_ms=%d "
      "concurrency=%d subjects=%s body=%dB journal=%s http_threads=%d\n",
      static_cast<unsigned long long>(o.outcomes), o.connections, o.pipeline, o.rate, o.latency_ms,
      o.concurrency, o.subjects == 0 ? "distinct" : std::to_string(o.subjects).c_str(),
      o.body_bytes, o.journal ? (o.journal_fsync ? "fsync" : "no-fsync") : "memory",
      o.http_threads);
  std::printf("load average (1 min) before: %.2f\n", bench::load_average_1m());
  if (o.baseline) run_baseline(o);

  bench::GatewayProcess gateway(o.directory, bench::engine_config_json(scenario(o, true)),
                                {{"COREGATE_TOKEN", bench::kBenchToken}});
  const pid_t pid = gateway.pid();
  DrainWatcher watcher(gateway.port());
  const auto threads_before = bench::thread_cpu(pid);
  const double cpu_before = bench::process_cpu_seconds(pid);
  const long switches_before = bench::context_switches(pid);
  const long long written_before = bench::io_counter(pid, "write_bytes");

  bench::LoadResult r = bench::run_outcome_load(load_options(o, gateway.port(), "e2e"));
  const Clock::time_point start = r.measure_from;
  const Clock::time_point last_202 = r.last_answer;
  watcher.set_target(r.accepted);
  const bool drained = watcher.wait(std::chrono::duration<double>(o.drain_timeout_s));
  const Clock::time_point applied_all = drained ? watcher.reached_at() : Clock::now();
  const double cpu = bench::process_cpu_seconds(pid) - cpu_before;
  const long switches = bench::context_switches(pid) - switches_before;
  const long long written = bench::io_counter(pid, "write_bytes") - written_before;
  const double wall = std::chrono::duration<double>(applied_all - start).count();
  const auto figures = watcher.last();

  std::sort(r.latencies_us.begin(), r.latencies_us.end());
  const double intake_s = r.seconds();
  const uint64_t done_at_last_202 = watcher.done_at(last_202);
  const double drain_s = std::chrono::duration<double>(applied_all - last_202).count();
  std::printf("accepted=%llu non-202=%llu connection-errors=%llu%s%s\n",
              static_cast<unsigned long long>(r.accepted), static_cast<unsigned long long>(r.other),
              static_cast<unsigned long long>(r.errors), r.other ? "  first non-202: " : "",
              r.first_other.c_str());
  std::printf("adapter core: applied=%llu failed=%llu retries=%llu queue_depth=%llu breaker=%s\n",
              static_cast<unsigned long long>(figures.applied),
              static_cast<unsigned long long>(figures.failed),
              static_cast<unsigned long long>(figures.retries),
              static_cast<unsigned long long>(figures.queue_depth), figures.breaker.c_str());
  if (!drained) {
    std::printf("NOT DRAINED: %llu of %llu outcomes applied or failed after %.0f s\n",
                static_cast<unsigned long long>(figures.applied + figures.failed),
                static_cast<unsigned long long>(r.accepted), o.drain_timeout_s);
  }
  std::printf("end_to_end: %.0f outcomes/s applied (%llu in %.2f s, first POST -> last applied)\n",
              r.accepted / wall, static_cast<unsigned long long>(r.accepted), wall);
  std::printf(
      "intake: %.0f 202/s (first POST -> last 202 %.2f s); applied meanwhile %llu = %.0f/s\n",
      r.accepted / intake_s, intake_s, static_cast<unsigned long long>(done_at_last_202),
      done_at_last_202 / intake_s);
  std::printf("drain: %.2f s from the last 202 to all applied; %llu outcomes = %.0f/s\n", drain_s,
              static_cast<unsigned long long>(r.accepted - done_at_last_202),
              drain_s > 0 ? (r.accepted - done_at_last_202) / drain_s : 0.0);
  std::printf("post_latency_ms p50=%.1f p99=%.1f p99.9=%.1f max=%.1f\n",
              bench::percentile_ms(r.latencies_us, 50), bench::percentile_ms(r.latencies_us, 99),
              bench::percentile_ms(r.latencies_us, 99.9),
              r.latencies_us.empty() ? 0.0 : r.latencies_us.back() / 1000.0);
  std::printf("gateway CPU %.2f s = %.1f us/outcome (%.2f cores); client CPU %.1f us/outcome\n",
              cpu, 1e6 * cpu / std::max<double>(1, static_cast<double>(r.accepted)), cpu / wall,
              1e6 * r.client_cpu_seconds / std::max<double>(1, static_cast<double>(r.accepted)));
  std::printf(
      "gateway context switches %.1f per outcome (all threads); %.1f KiB written to "
      "storage per outcome\n",
      static_cast<double>(switches) / std::max<double>(1, static_cast<double>(r.accepted)),
      static_cast<double>(written) / 1024.0 / std::max<double>(1, static_cast<double>(r.accepted)));
  print_threads(pid, threads_before, wall);
  std::printf("gateway peak RSS %.1f MiB\n", bench::status_kib(pid, "VmHWM") / 1024.0);
  if (auto unfinished = bench::read_metric(gateway.port(), "coregate_unfinished_outcomes"))
    std::printf("coregate_unfinished_outcomes=%.0f\n", *unfinished);
  std::printf("load average (1 min) after: %.2f\n", bench::load_average_1m());
  if (!gateway.stop()) std::printf("WARNING: the gateway did not stop within 30 s of SIGTERM\n");
  return drained && r.errors == 0 && r.other == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  o.directory = bench::bench_work_directory("engine-throughput").string();
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--outcomes")
      o.outcomes = std::stoull(value());
    else if (arg == "--connections")
      o.connections = std::stoi(value());
    else if (arg == "--rate")
      o.rate = std::stod(value());
    else if (arg == "--pipeline")
      o.pipeline = std::max(1, std::stoi(value()));
    else if (arg == "--latency-ms")
      o.latency_ms = std::stoi(value());
    else if (arg == "--concurrency")
      o.concurrency = std::stoi(value());
    else if (arg == "--subjects")
      o.subjects = std::stoull(value());
    else if (arg == "--body-bytes")
      o.body_bytes = std::stoi(value());
    else if (arg == "--gateway-threads")
      o.http_threads = std::stoi(value());
    else if (arg == "--journal")
      o.journal = true;
    else if (arg == "--journal-no-fsync")
      o.journal = true, o.journal_fsync = false;
    else if (arg == "--baseline")
      o.baseline = true;
    else if (arg == "--drain-timeout")
      o.drain_timeout_s = std::stod(value());
    else if (arg == "--dir")
      o.directory = value();
    else {
      std::cerr
          << "usage: engine_throughput [--outcomes N] [--connections N] [--pipeline N] [--rate R]\n"
             "  [--latency-ms MS] [--concurrency N] [--subjects N (0: all distinct)]\n"
             "  [--body-bytes B] [--gateway-threads N] [--journal | --journal-no-fsync]\n"
             "  [--baseline] [--drain-timeout S] [--dir DIR]\n";
      return 2;
    }
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::cerr << "engine_throughput: " << e.what() << "\n";
    return 1;
  }
}
