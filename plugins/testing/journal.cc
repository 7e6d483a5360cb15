#include "plugins/testing/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

namespace coregate::plugins::testing {
namespace {

std::string errno_text(int error) {
  return std::strerror(error);
}

bool write_all(int fd, const char* data, size_t len, int& error) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      return false;
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

// A new file's directory entry must be durable too, or a crash could lose the whole journal.
void sync_parent_directory(const std::string& path) {
  std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
  int dir = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace

Journal::Journal(std::string path, bool fsync,
                 const std::function<void(std::string_view, size_t)>& on_line, std::string& warning)
    : path_(std::move(path)), fsync_(fsync) {
  auto fail = [&](const std::string& what) -> std::runtime_error {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    return std::runtime_error("journal '" + path_ + "': " + what);
  };
  std::filesystem::path parent = std::filesystem::absolute(path_).parent_path();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) throw fail("cannot create folder '" + parent.string() + "': " + ec.message());
  struct stat before {};
  bool existed = ::stat(path_.c_str(), &before) == 0;
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw fail("cannot open: " + errno_text(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    throw fail(errno == EWOULDBLOCK
                   ? "in use by another adapter instance or process (it holds the lock); give "
                     "each testing adapter its own journal"
                   : "cannot lock: " + errno_text(errno));
  }
  if (!existed && fsync_) sync_parent_directory(path_);
  try {
    load(on_line, warning);
  } catch (const std::exception& e) {
    throw fail(e.what());
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);  // also releases the flock
}

void Journal::load(const std::function<void(std::string_view, size_t)>& on_line,
                   std::string& warning) {
  std::string content;
  char chunk[1 << 16];
  off_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd_, chunk, sizeof chunk, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("cannot read: " + errno_text(errno));
    }
    if (n == 0) break;
    content.append(chunk, static_cast<size_t>(n));
    offset += n;
  }
  size_t start = 0;
  size_t line_no = 0;
  while (start < content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string::npos) break;  // torn tail, handled below
    ++line_no;
    std::string_view line(content.data() + start, end - start);
    if (!line.empty()) {
      try {
        on_line(line, line_no);
      } catch (const std::exception& e) {
        throw std::runtime_error("line " + std::to_string(line_no) + ": " + e.what());
      }
    }
    start = end + 1;
  }
  if (start < content.size()) {
    warning = "journal '" + path_ + "': cut a torn last line of " +
              std::to_string(content.size() - start) +
              " bytes (its write was never answered APPLIED)";
    if (::ftruncate(fd_, static_cast<off_t>(start)) != 0) {
      throw std::runtime_error("cannot cut the torn last line: " + errno_text(errno));
    }
    if (fsync_) ::fdatasync(fd_);
  }
  size_ = start;
}

Journal::Appended Journal::append(std::string_view line) {
  std::string text;
  text.reserve(line.size() + 1);
  text.append(line).push_back('\n');
  std::lock_guard lock(mutex_);
  if (broken_) return {false, 0, broken_reason_};
  int error = 0;
  if (!write_all(fd_, text.data(), text.size(), error)) {
    std::string reason = "cannot append: " + errno_text(error);
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      broken_ = true;
      broken_reason_ = reason + "; and cannot cut the partial line: " + errno_text(errno);
      return {false, 0, broken_reason_};
    }
    return {false, 0, reason};
  }
  size_ += text.size();
  return {true, ++written_, {}};
}

bool Journal::wait_durable(uint64_t ticket, std::string& error) {
  if (!fsync_) return true;
  std::unique_lock lock(mutex_);
  while (synced_ < ticket) {
    if (broken_) {
      error = broken_reason_;
      return false;
    }
    if (syncing_) {
      synced_cv_.wait(lock);
      continue;
    }
    // Become the leader: flush everything written so far, for every waiter at once.
    syncing_ = true;
    uint64_t target = written_;
    lock.unlock();
    int rc = ::fdatasync(fd_);
    int sync_errno = errno;
    lock.lock();
    syncing_ = false;
    if (rc == 0) {
      if (target > synced_) synced_ = target;
    } else {
      // After a failed fsync the kernel may have dropped the dirty pages: nothing after this
      // point can be promised durable.
      broken_ = true;
      broken_reason_ = "fdatasync failed: " + errno_text(sync_errno);
    }
    synced_cv_.notify_all();
  }
  return true;
}

std::string Journal::problem() const {
  std::lock_guard lock(mutex_);
  return broken_ ? broken_reason_ : std::string();
}

bool Journal::broken() const {
  std::lock_guard lock(mutex_);
  return broken_;
}

}  // namespace coregate::plugins::testing
