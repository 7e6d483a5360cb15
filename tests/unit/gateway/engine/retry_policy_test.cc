#include "gateway/engine/retry_policy.h"

#include <gtest/gtest.h>

#include "gateway/config/config_loader.h"

namespace coregate::engine {
namespace {

using namespace std::chrono_literals;

// Returns a fixed fraction of the bound, and records the bounds asked for.
class ScriptedRandom final : public RandomSource {
 public:
  explicit ScriptedRandom(double fraction) : fraction_(fraction) {}
  uint64_t up_to(uint64_t bound) override {
    bounds.push_back(bound);
    return static_cast<uint64_t>(static_cast<double>(bound) * fraction_);
  }
  std::vector<uint64_t> bounds;

 private:
  double fraction_;
};

RetryPolicy policy() {
  RetryPolicy p;
  p.max_attempts = 6;
  p.base_delay = 100ms;
  p.max_delay = 1000ms;
  p.max_age = 1h;
  return p;
}

TEST(RetryPolicy, FullJitterCeilingDoublesAndIsCapped) {
  ScriptedRandom random(1.0);  // always the ceiling
  ManualClock clock;
  TimePoint first = clock.now();
  std::vector<int64_t> delays;
  for (uint32_t n = 1; n <= 5; ++n) {
    RetryDecision d = next_retry(policy(), n, first, clock.now(), 0ms, random);
    ASSERT_TRUE(d.retry) << d.reason;
    delays.push_back(d.delay.count());
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{100, 200, 400, 800, 1000}));
}

TEST(RetryPolicy, DelayIsDrawnFromZeroToTheCeiling) {
  ScriptedRandom random(0.0);
  ManualClock clock;
  RetryDecision d = next_retry(policy(), 3, clock.now(), clock.now(), 0ms, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, 0ms);  // full jitter may retry at once
  EXPECT_EQ(random.bounds, std::vector<uint64_t>{400});
  ScriptedRandom half(0.5);
  EXPECT_EQ(next_retry(policy(), 3, clock.now(), clock.now(), 0ms, half).delay, 200ms);
}

TEST(RetryPolicy, RetryAfterIsHonouredEvenAboveTheCap) {
  ScriptedRandom random(0.0);
  ManualClock clock;
  RetryDecision d = next_retry(policy(), 1, clock.now(), clock.now(), 5000ms, random);
  EXPECT_TRUE(d.retry);
  EXPECT_EQ(d.delay, 5000ms);
}

TEST(RetryPolicy, AttemptBudgetEnds) {
  ScriptedRandom random(0.5);
  ManualClock clock;
  RetryDecision d = next_retry(policy(), 6, clock.now(), clock.now(), 0ms, random);
  EXPECT_FALSE(d.retry);
  EXPECT_NE(d.reason.find("6 of 6 attempts failed"), std::string::npos) << d.reason;
}

TEST(RetryPolicy, AgeBudgetEnds) {
  ScriptedRandom random(1.0);
  ManualClock clock;
  TimePoint first = clock.now();
  clock.advance(3599s);
  RetryDecision d = next_retry(policy(), 2, first, clock.now(), 0ms, random);
  EXPECT_TRUE(d.retry);  // 3599 s + 200 ms is within the hour
  clock.advance(1s);
  RetryDecision late = next_retry(policy(), 2, first, clock.now(), 0ms, random);
  EXPECT_FALSE(late.retry);
  EXPECT_NE(late.reason.find("past max_age"), std::string::npos) << late.reason;
}

TEST(RetryPolicy, HugeAttemptCountsDoNotOverflow) {
  ScriptedRandom random(1.0);
  RetryPolicy p = policy();
  p.max_attempts = 1000;
  ManualClock clock;
  EXPECT_EQ(next_retry(p, 999, clock.now(), clock.now(), 0ms, random).delay, 1000ms);
}

TEST(RetryPolicy, ConfigIsReadAndChecked) {
  auto root = config::config_from_json_text(
      R"({"a": {"retry": {"max_attempts": 3, "base_delay": "50ms", "max_delay": "2s", "max_age": "1h"}},
          "bad": {"retry": {"base_delay": "5s", "max_delay": "1s"}},
          "typo": {"retry": {"max_attemps": 3}}})",
      "gw.json");
  RetryPolicy p = RetryPolicy::from_config(root.child("a"));
  EXPECT_EQ(p.max_attempts, 3u);
  EXPECT_EQ(p.base_delay, 50ms);
  EXPECT_EQ(p.max_delay, 2000ms);
  EXPECT_THROW(RetryPolicy::from_config(root.child("bad")), config::ConfigError);
  EXPECT_THROW(RetryPolicy::from_config(root.child("typo")), config::ConfigError);
  EXPECT_EQ(RetryPolicy::from_config(root).max_attempts, RetryPolicy{}.max_attempts);
}

}  // namespace
}  // namespace coregate::engine
