// The machine's ceiling WITHOUT group commit: the same SQLite store (WAL, synchronous=FULL), one
// outcome per transaction, i.e. one fsync per row. Compare with intake_load to see the batching
// gain. Usage: build/bench/intake_fsync_ceiling [seconds] [folder]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <unistd.h>

#include "gateway/store/sqlite_outcome_store.h"

int main(int argc, char** argv) {
  using namespace coregate::store;
  const double seconds = argc > 1 ? std::stod(argv[1]) : 5.0;
  const std::filesystem::path dir = argc > 2 ? std::filesystem::path(argv[2])
                                             : std::filesystem::temp_directory_path() /
                                                   ("coregate-fsync-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  SqliteStoreOptions options;
  options.path = dir / "store.db";
  options.max_batch = 1;  // one transaction, one fsync, per outcome
  uint64_t rows = 0;
  {
    SqliteOutcomeStore store(options);
    const std::string padding(900, 'x');
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
      std::promise<void> done;
      auto committed = done.get_future();
      if (!store.submit(std::move(o), [&](AcceptResult&&) { done.set_value(); })) return 1;
      committed.wait();
      ++rows;
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("one_fsync_per_row rows=%llu seconds=%.1f rows/s=%.0f mean_commit_ms=%.3f\n",
                static_cast<unsigned long long>(rows), elapsed, rows / elapsed, 1000.0 * elapsed / rows);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
