// Wakes the deliverers (SSE, webhooks) when the trigger log grows, instead of making them poll
// the store. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace coregate::triggers {

class LogSignal {
 public:
  // The log's last seq is now at least `seq`.
  void advanced(int64_t seq) {
    {
      std::lock_guard lock(mutex_);
      if (seq > last_) last_ = seq;
    }
    changed_.notify_all();
  }
  // Wakes every waiter (stop).
  void interrupt() {
    {
      std::lock_guard lock(mutex_);
      ++interrupts_;
    }
    changed_.notify_all();
  }
  // Waits until the last seq passes `seen`, an interrupt, or the timeout. Returns the last seq.
  int64_t wait_past(int64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const uint64_t interrupts = interrupts_;
    changed_.wait_for(lock, timeout, [&] { return last_ > seen || interrupts_ != interrupts; });
    return last_;
  }
  int64_t last() const {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int64_t last_ = 0;
  uint64_t interrupts_ = 0;
};

}  // namespace coregate::triggers
