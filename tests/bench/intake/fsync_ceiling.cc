// The machine's ceiling WITHOUT group commit: the same SQLite store (WAL, synchronous=FULL), one
// outcome per transaction, i.e. one fsync per row. Compare with intake_load to see the batching
// gain. `group` as third argument instead keeps 512 outcomes in flight with group commit on: the
// store's own ceiling, without HTTP.
// Usage: build/bench/intake_fsync_ceiling [seconds] [folder|-] [group]
#include <unistd.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>

#include "gateway/store/sqlite_outcome_store.h"

int main(int argc, char** argv) {
  using namespace coregate::store;
  const double seconds = argc > 1 ? std::stod(argv[1]) : 5.0;
  const bool group = argc > 3 && std::string(argv[3]) == "group";
  const std::filesystem::path dir =
      argc > 2 && std::string(argv[2]) != "-"
          ? std::filesystem::path(argv[2])
          : std::filesystem::temp_directory_path() / ("coregate-fsync-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  SqliteStoreOptions options;
  options.path = dir / "store.db";
  options.max_batch = group ? 4096 : 1;  // 1: one transaction, one fsync, per outcome
  options.max_pending = 100000;
  uint64_t rows = 0;
  {
    SqliteOutcomeStore store(options);
    const std::string padding(900, 'x');
    std::atomic<int> in_flight{0};
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() < end) {
      NewOutcome o;
      o.id = "id-" + std::to_string(rows);
      o.principal = "bench";
      o.idempotency_key = "k-" + std::to_string(rows);
      o.type = "arrangement.promise_to_pay";
      o.subject = "acct-" + std::to_string(rows);
      o.body_json = R"({"note":")" + padding + R"("})";
      o.response_body = R"({"id":"x"})";
      if (group) {
        // Keep 512 in flight: wait while the store holds that many uncommitted.
        while (in_flight.load() >= 512) std::this_thread::yield();
        ++in_flight;
        if (!store.submit(std::move(o), [&](AcceptResult&&) { --in_flight; })) return 1;
        ++rows;
        continue;
      }
      std::promise<void> done;
      auto committed = done.get_future();
      if (!store.submit(std::move(o), [&](AcceptResult&&) { done.set_value(); })) return 1;
      committed.wait();
      ++rows;
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    while (in_flight.load() > 0) std::this_thread::yield();
    const auto counters = store.counters();
    std::printf("%s batches=%llu ", group ? "group_commit" : "one_fsync_per_row",
                static_cast<unsigned long long>(counters.batches));
    std::printf("rows=%llu seconds=%.1f rows/s=%.0f mean_commit_ms=%.3f\n",
                static_cast<unsigned long long>(rows), elapsed, rows / elapsed,
                1000.0 * elapsed / rows);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
