#include "gateway/engine/circuit_breaker.h"

#include <gtest/gtest.h>

#include "gateway/config/config_loader.h"

namespace coregate::engine {
namespace {

using namespace std::chrono_literals;

BreakerPolicy policy() {
  BreakerPolicy p;
  p.consecutive_failures = 3;
  p.failure_ratio = 0.5;
  p.window = 10;
  p.minimum_calls = 6;
  p.open_for = 10s;
  p.trial_calls = 1;
  return p;
}

TEST(CircuitBreaker, OpensOnConsecutiveFailuresHoldsHalfOpensAndCloses) {
  ManualClock clock;
  CircuitBreaker b(policy(), clock);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(b.allow());
    b.on_failure();
  }
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  EXPECT_FALSE(b.allow());  // holds
  clock.advance(9s);
  EXPECT_FALSE(b.allow());
  clock.advance(1s);
  EXPECT_EQ(b.state(), BreakerState::kHalfOpen);
  EXPECT_TRUE(b.allow());   // the one trial call
  EXPECT_FALSE(b.allow());  // no second trial while the first is out
  b.on_success();
  EXPECT_EQ(b.state(), BreakerState::kClosed);
  EXPECT_TRUE(b.allow());
}

TEST(CircuitBreaker, FailedTrialReopensForAnotherPeriod) {
  ManualClock clock;
  CircuitBreaker b(policy(), clock);
  for (int i = 0; i < 3; ++i) b.on_failure();
  clock.advance(10s);
  ASSERT_TRUE(b.allow());
  b.on_failure();
  EXPECT_EQ(b.state(), BreakerState::kOpen);
  EXPECT_FALSE(b.allow());
  clock.advance(10s);
  EXPECT_TRUE(b.allow());
}

TEST(CircuitBreaker, OpensOnFailureRatioOnceEnoughCalls) {
  ManualClock clock;
  CircuitBreaker b(policy(), clock);
  // Alternate: never 3 in a row, but 50% failures.
  for (int i = 0; i < 5; ++i) {
    b.on_failure();
    b.on_success();
  }
  EXPECT_EQ(b.state(), BreakerState::kOpen);
}

TEST(CircuitBreaker, RatioNeedsTheMinimumNumberOfCalls) {
  ManualClock clock;
  CircuitBreaker b(policy(), clock);
  b.on_failure();
  b.on_success();
  b.on_failure();
  b.on_success();  // 50% of 4 < minimum_calls 6
  EXPECT_EQ(b.state(), BreakerState::kClosed);
}

TEST(CircuitBreaker, NeutralResultsReleaseTheTrialWithoutAVerdict) {
  ManualClock clock;
  CircuitBreaker b(policy(), clock);
  for (int i = 0; i < 3; ++i) b.on_failure();
  clock.advance(10s);
  ASSERT_TRUE(b.allow());
  b.on_neutral();  // a REJECTED trial
  EXPECT_EQ(b.state(), BreakerState::kHalfOpen);
  EXPECT_TRUE(b.allow());
}

TEST(CircuitBreaker, ConfigIsReadAndChecked) {
  auto root = config::config_from_json_text(
      R"({"a": {"breaker": {"consecutive_failures": 2, "open_for": "5s", "failure_ratio": 0.25}},
          "bad": {"breaker": {"failure_ratio": 1.5}},
          "bad2": {"breaker": {"window": 5, "minimum_calls": 6}}})",
      "gw.json");
  BreakerPolicy p = BreakerPolicy::from_config(root.child("a"));
  EXPECT_EQ(p.consecutive_failures, 2u);
  EXPECT_EQ(p.open_for, 5000ms);
  EXPECT_DOUBLE_EQ(p.failure_ratio, 0.25);
  EXPECT_THROW(BreakerPolicy::from_config(root.child("bad")), config::ConfigError);
  EXPECT_THROW(BreakerPolicy::from_config(root.child("bad2")), config::ConfigError);
}

}  // namespace
}  // namespace coregate::engine
