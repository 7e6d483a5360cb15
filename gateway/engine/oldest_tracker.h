// The age of the oldest unfinished item, in O(1) amortised per operation and 16 bytes per item:
// a FIFO of arrivals (each gets a ticket) plus the set of tickets finished out of order. The
// oldest is the earliest ARRIVAL still unfinished; an item re-entering (a replay) counts from its
// new arrival.
// Not thread-safe: the engine calls it under its lock.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_set>
#include <utility>

namespace coregate::engine {

class OldestTracker {
 public:
  // Returns the ticket to finish() the item with.
  uint64_t arrive(int64_t at_ms) {
    arrivals_.emplace_back(next_ticket_, at_ms);
    return next_ticket_++;
  }

  void finish(uint64_t ticket) {
    if (!arrivals_.empty() && arrivals_.front().first == ticket) {
      arrivals_.pop_front();
      while (!arrivals_.empty()) {
        auto it = finished_early_.find(arrivals_.front().first);
        if (it == finished_early_.end()) break;
        finished_early_.erase(it);
        arrivals_.pop_front();
      }
      return;
    }
    finished_early_.insert(ticket);
  }

  // When the oldest unfinished item arrived, or nothing when none is unfinished.
  std::optional<int64_t> oldest_ms() const {
    if (arrivals_.empty()) return std::nullopt;
    return arrivals_.front().second;
  }

  size_t size() const { return arrivals_.size() - finished_early_.size(); }

 private:
  std::deque<std::pair<uint64_t, int64_t>> arrivals_;  // (ticket, arrived at ms)
  std::unordered_set<uint64_t> finished_early_;
  uint64_t next_ticket_ = 1;
};

}  // namespace coregate::engine
