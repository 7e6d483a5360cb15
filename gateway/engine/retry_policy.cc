#include "gateway/engine/retry_policy.h"

#include <algorithm>

namespace coregate::engine {

RetryPolicy RetryPolicy::from_config(const config::ConfigNode& adapter_block) {
  RetryPolicy p;
  auto retry = adapter_block.child_if("retry");
  if (!retry) return p;
  retry->allow_only({"max_attempts", "max_age", "base_delay", "max_delay"});
  p.max_attempts =
      static_cast<uint32_t>(retry->integer_or("max_attempts", p.max_attempts, 1, 1000));
  p.max_age = retry->duration_or("max_age", p.max_age);
  p.base_delay = retry->duration_or("base_delay", p.base_delay);
  p.max_delay = retry->duration_or("max_delay", p.max_delay);
  if (p.base_delay.count() <= 0) retry->fail("base_delay", "must be greater than 0");
  if (p.max_delay < p.base_delay) retry->fail("max_delay", "must not be smaller than base_delay");
  if (p.max_age.count() <= 0) retry->fail("max_age", "must be greater than 0");
  return p;
}

RetryDecision next_retry(const RetryPolicy& policy, uint32_t failed_attempts,
                         TimePoint first_attempt, TimePoint now,
                         std::chrono::milliseconds retry_after, RandomSource& random) {
  if (failed_attempts >= policy.max_attempts) {
    return {false,
            {},
            "retry budget exhausted: " + std::to_string(failed_attempts) + " of " +
                std::to_string(policy.max_attempts) + " attempts failed"};
  }
  // Ceiling doubles per failure; computed in a loop so a large attempt count cannot overflow.
  int64_t ceiling = policy.base_delay.count();
  for (uint32_t i = 1; i < failed_attempts && ceiling < policy.max_delay.count(); ++i) ceiling *= 2;
  ceiling = std::min<int64_t>(ceiling, policy.max_delay.count());
  auto delay =
      std::chrono::milliseconds(static_cast<int64_t>(random.up_to(static_cast<uint64_t>(ceiling))));
  delay = std::max(delay, retry_after);
  auto age_at_retry =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - first_attempt) + delay;
  if (age_at_retry > policy.max_age) {
    return {false,
            {},
            "retry budget exhausted: the next attempt would be " +
                std::to_string(age_at_retry.count() / 1000) +
                " s after the first, past max_age of " +
                std::to_string(policy.max_age.count() / 1000) + " s"};
  }
  return {true, delay, {}};
}

}  // namespace coregate::engine
