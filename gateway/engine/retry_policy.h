// When to try a failed writeback step again: capped exponential backoff with full jitter,
// delay = random(0, min(cap, base * 2^(n-1))) after the n-th failure, honouring a target's
// Retry-After, within a budget of attempts and of age (DESIGN §4; the fluent-bit/AWS scheme).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "gateway/config/config_node.h"
#include "gateway/engine/clock.h"
#include "gateway/engine/random_source.h"

namespace coregate::engine {

struct RetryPolicy {
  uint32_t max_attempts = 10;                                 // including the first
  std::chrono::milliseconds max_age{std::chrono::hours(24)};  // from the first attempt
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{std::chrono::minutes(5)};

  // Reads an adapter block's optional "retry": {"max_attempts", "max_age", "base_delay",
  // "max_delay"}; throws ConfigError naming the key (e.g. base_delay larger than max_delay).
  static RetryPolicy from_config(const config::ConfigNode& adapter_block);
};

struct [[nodiscard]] RetryDecision {
  bool retry = false;
  std::chrono::milliseconds delay{0};  // wait this long before the next attempt
  std::string reason;                  // why not, when retry is false (for the exception queue)
};

// Decides after `failed_attempts` (>= 1) failures of a step first attempted at `first_attempt`.
// `retry_after` > 0 is the target's own hint: the delay is at least that long (the target knows
// best), but never past the age budget.
RetryDecision next_retry(const RetryPolicy& policy, uint32_t failed_attempts,
                         TimePoint first_attempt, TimePoint now,
                         std::chrono::milliseconds retry_after, RandomSource& random);

}  // namespace coregate::engine
