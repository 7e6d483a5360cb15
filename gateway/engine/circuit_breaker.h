// A circuit breaker per adapter (DESIGN §4): stop calling a target that is failing, so steps wait
// instead of burning their retry budget, and probe it with a few trial calls before trusting it
// again.
//
//   closed    --(N consecutive failures, or failure ratio >= R over the last W calls once at
//                least M calls were seen)-->  open
//   open      --(open_for elapsed)-->  half_open (allow up to `trial_calls` calls)
//   half_open --(a trial succeeds)--> closed;  --(a trial fails)--> open again
//
// What counts: RETRYABLE and AMBIGUOUS are failures (the target could not be relied on); APPLIED
// and ALREADY_APPLIED are successes; REJECTED is neither (a business refusal says nothing about
// the target's health). The caller maps results to on_success/on_failure.
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>

#include "gateway/config/config_node.h"
#include "gateway/engine/clock.h"

namespace coregate::engine {

struct BreakerPolicy {
  uint32_t consecutive_failures = 5;
  double failure_ratio = 0.5;
  uint32_t window = 20;         // last W calls
  uint32_t minimum_calls = 10;  // ratio only judged after this many calls in the window
  std::chrono::milliseconds open_for{std::chrono::seconds(30)};
  uint32_t trial_calls = 1;

  // Reads an adapter block's optional "breaker": {...} with the keys above.
  static BreakerPolicy from_config(const config::ConfigNode& adapter_block);
};

enum class BreakerState { kClosed, kOpen, kHalfOpen };
std::string_view to_string(BreakerState s);

class CircuitBreaker {
 public:
  CircuitBreaker(BreakerPolicy policy, const Clock& clock) : policy_(policy), clock_(clock) {}

  // May a call go to the target now? In half_open this reserves one of the trial calls; the
  // caller must report its result with on_success or on_failure (or on_neutral).
  [[nodiscard]] bool allow() { return admit().allowed; }

  // allow() with the reason of a refusal, decided under one lock so a caller cannot miss the
  // moment the breaker reopens: when refused because it is open, `wake_at` is when a trial will
  // be let through; when refused because half-open trials are out, `wake_at` is empty (their
  // results decide).
  struct Admission {
    bool allowed = false;
    std::optional<TimePoint> wake_at;
  };
  [[nodiscard]] Admission admit();
  void on_success();
  void on_failure();
  // A call that says nothing about health (REJECTED): releases a trial slot without a verdict.
  void on_neutral();

  BreakerState state() const;
  // When an open breaker will next let a trial through (for scheduling waiting steps).
  TimePoint reopens_at() const;

 private:
  void trip(TimePoint now);
  void record(bool failure);

  BreakerPolicy policy_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  BreakerState state_ = BreakerState::kClosed;
  uint32_t consecutive_ = 0;
  std::deque<bool> window_;  // true = failure
  uint32_t window_failures_ = 0;
  TimePoint opened_at_{};
  uint32_t trials_in_flight_ = 0;
};

}  // namespace coregate::engine
