// The testing adapter's durable record: an append-only file of JSON lines, one per applied write.
//
// Durability contract (what crash tests rely on):
//   - A write is answered APPLIED (or ALREADY_APPLIED) only after its line was written AND
//     fdatasync'd; concurrent writers share one fdatasync (group commit), so durability costs one
//     disk flush per batch, not per write.
//   - A line that reached the file is applied, whether or not its writer got to answer: after a
//     SIGKILL the page cache keeps it, the restarted adapter reloads it, and probe says APPLIED.
//     That is the "applied but the answer was lost" case real targets have.
//   - A torn last line (no trailing newline; only a machine crash can leave one) was never
//     answered APPLIED: it is cut off at load, with a warning.
//   - Any other unreadable line is corruption: loading refuses, naming the file and line.
// One process and one adapter instance per file: an exclusive flock is held while open.
// Thread-safety: append() must be serialised by the caller (it fixes the order of lines);
// wait_durable() may be called from any number of threads.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace coregate::plugins::testing {

class Journal {
 public:
  // Opens or creates `path` (and its parent folders), locks it, and calls on_line(text, line_no)
  // for every complete line in file order. Throws std::runtime_error naming the file on any
  // failure, including an exception thrown by on_line (a corrupt line). `warning` receives a
  // message when a torn tail was cut.
  Journal(std::string path, bool fsync,
          const std::function<void(std::string_view line, size_t line_no)>& on_line,
          std::string& warning);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  struct [[nodiscard]] Appended {
    bool ok = false;
    uint64_t ticket = 0;  // pass to wait_durable
    std::string error;    // why the line is not in the file (it was rolled back)
  };
  // Appends `line` plus '\n'. On failure the file is truncated back, so a failed append leaves
  // nothing behind; if even that fails the journal turns broken and refuses further appends.
  Appended append(std::string_view line);

  // Blocks until the line with `ticket` is on stable storage. False (error set) when fdatasync
  // failed: the line may or may not have survived, and the journal is broken from then on.
  [[nodiscard]] bool wait_durable(uint64_t ticket, std::string& error);

  bool broken() const;
  // Why the journal is broken, or empty.
  std::string problem() const;
  const std::string& path() const { return path_; }

 private:
  void load(const std::function<void(std::string_view, size_t)>& on_line, std::string& warning);

  std::string path_;
  bool fsync_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable synced_cv_;
  uint64_t size_ = 0;     // bytes of complete lines in the file
  uint64_t written_ = 0;  // tickets handed out
  uint64_t synced_ = 0;   // every ticket <= synced_ is durable
  bool syncing_ = false;  // one thread runs fdatasync for everyone waiting
  bool broken_ = false;
  std::string broken_reason_;
};

}  // namespace coregate::plugins::testing
