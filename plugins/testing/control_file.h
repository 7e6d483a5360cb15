// Watches the testing adapter's control file so a test can flip faults and health in a running
// gateway. The check is one stat() per call; the file is read only when its identity changed
// (inode, size or modification time). Replace the file atomically (write a temporary file, then
// rename it over) so every change has a new inode and no reader ever sees half a document; an
// in-place rewrite within the file system's timestamp granularity and with an unchanged size could
// go unnoticed.
// Thread-safe: check() may be called from any number of threads at once.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace coregate::plugins::testing {

class ControlFile {
 public:
  explicit ControlFile(std::string path) : path_(std::move(path)) {}

  // nullopt when the file is unchanged since the last call that returned a value (or threw);
  // otherwise its content: a JSON object, or an empty object when the file does not exist (no
  // overrides). Throws std::runtime_error naming the file when it cannot be read or is not a
  // JSON object; the change is then consumed, so a bad file is reported once.
  std::optional<boost::json::object> check();

  const std::string& path() const { return path_; }
  // Whether the file existed at the last check() that returned a value.
  bool present() const { return present_.load(std::memory_order_acquire); }

 private:
  uint64_t identity() const;  // a hash of (exists, inode, size, mtime); 0 is never returned

  std::string path_;
  std::atomic<uint64_t> seen_{0};  // identity of the version last consumed; 0: none yet
  std::atomic<bool> present_{false};
  std::mutex mutex_;  // one reader at a time
};

}  // namespace coregate::plugins::testing
