#include "gateway/engine/circuit_breaker.h"

namespace coregate::engine {

BreakerPolicy BreakerPolicy::from_config(const config::ConfigNode& adapter_block) {
  BreakerPolicy p;
  auto b = adapter_block.child_if("breaker");
  if (!b) return p;
  b->allow_only({"consecutive_failures", "failure_ratio", "window", "minimum_calls", "open_for",
                 "trial_calls"});
  p.consecutive_failures = static_cast<uint32_t>(
      b->integer_or("consecutive_failures", p.consecutive_failures, 1, 100000));
  p.failure_ratio = b->number_or("failure_ratio", p.failure_ratio);
  if (!(p.failure_ratio > 0 && p.failure_ratio <= 1))
    b->fail("failure_ratio", "expected a number in (0, 1]");
  p.window = static_cast<uint32_t>(b->integer_or("window", p.window, 1, 100000));
  p.minimum_calls =
      static_cast<uint32_t>(b->integer_or("minimum_calls", p.minimum_calls, 1, 100000));
  if (p.minimum_calls > p.window) b->fail("minimum_calls", "must not exceed window");
  p.open_for = b->duration_or("open_for", p.open_for);
  p.trial_calls = static_cast<uint32_t>(b->integer_or("trial_calls", p.trial_calls, 1, 1000));
  return p;
}

std::string_view to_string(BreakerState s) {
  switch (s) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

CircuitBreaker::Admission CircuitBreaker::admit() {
  std::lock_guard lock(mutex_);
  if (state_ == BreakerState::kOpen) {
    const TimePoint reopen = opened_at_ + policy_.open_for;
    if (clock_.now() < reopen) return {false, reopen};
    state_ = BreakerState::kHalfOpen;
    trials_in_flight_ = 0;
  }
  if (state_ == BreakerState::kHalfOpen) {
    if (trials_in_flight_ >= policy_.trial_calls) return {false, std::nullopt};
    ++trials_in_flight_;
  }
  return {true, std::nullopt};
}

void CircuitBreaker::trip(TimePoint now) {
  state_ = BreakerState::kOpen;
  opened_at_ = now;
  trials_in_flight_ = 0;
  consecutive_ = 0;
  window_.clear();
  window_failures_ = 0;
}

void CircuitBreaker::record(bool failure) {
  window_.push_back(failure);
  window_failures_ += failure ? 1 : 0;
  if (window_.size() > policy_.window) {
    window_failures_ -= window_.front() ? 1 : 0;
    window_.pop_front();
  }
}

void CircuitBreaker::on_success() {
  std::lock_guard lock(mutex_);
  if (state_ == BreakerState::kHalfOpen) {
    state_ = BreakerState::kClosed;
    trials_in_flight_ = 0;
    window_.clear();
    window_failures_ = 0;
  }
  consecutive_ = 0;
  record(false);
}

void CircuitBreaker::on_failure() {
  std::lock_guard lock(mutex_);
  TimePoint now = clock_.now();
  if (state_ == BreakerState::kHalfOpen) {
    trip(now);
    return;
  }
  if (state_ == BreakerState::kOpen) return;  // a call that started before the breaker opened
  ++consecutive_;
  record(true);
  bool too_many_in_a_row = consecutive_ >= policy_.consecutive_failures;
  bool ratio_too_high =
      window_.size() >= policy_.minimum_calls &&
      static_cast<double>(window_failures_) / static_cast<double>(window_.size()) >=
          policy_.failure_ratio;
  if (too_many_in_a_row || ratio_too_high) trip(now);
}

void CircuitBreaker::on_neutral() {
  std::lock_guard lock(mutex_);
  if (state_ == BreakerState::kHalfOpen && trials_in_flight_ > 0) --trials_in_flight_;
}

BreakerState CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  if (state_ == BreakerState::kOpen && clock_.now() >= opened_at_ + policy_.open_for)
    return BreakerState::kHalfOpen;
  return state_;
}

TimePoint CircuitBreaker::reopens_at() const {
  std::lock_guard lock(mutex_);
  return opened_at_ + policy_.open_for;
}

}  // namespace coregate::engine
