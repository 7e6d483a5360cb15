// Every row of the result-class table (attempt_verdict.h), with an injected clock and random
// source so the retry delays are exact.
#include "gateway/engine/attempt_verdict.h"

#include <gtest/gtest.h>

namespace coregate::engine {
namespace {

using std::chrono::milliseconds;
using Kind = Verdict::Kind;

// Always answers the top of the range: the delay is exactly min(cap, base * 2^(n-1)).
class TopOfRange final : public RandomSource {
 public:
  uint64_t up_to(uint64_t bound) override { return bound; }
};

struct Fixture {
  ManualClock clock;
  TopOfRange random;
  RetryPolicy retry{.max_attempts = 4,
                    .max_age = std::chrono::hours(1),
                    .base_delay = milliseconds(100),
                    .max_delay = milliseconds(1000)};

  AttemptFacts facts(sdk::WriteResult result, uint32_t attempts = 1) {
    AttemptFacts f;
    f.result = std::move(result);
    f.attempts = attempts;
    f.first_attempt = clock.now();
    f.now = clock.now();
    return f;
  }
  Verdict judge(const AttemptFacts& f, OnAmbiguous policy = OnAmbiguous::kException) {
    return judge_attempt(f, retry, policy, random);
  }
};

TEST(AttemptVerdict, AppliedCarriesTheReference) {
  Fixture x;
  const Verdict v = x.judge(x.facts(sdk::WriteResult::applied("REF-1")));
  EXPECT_EQ(v.kind, Kind::kApplied);
  EXPECT_EQ(v.reference, "REF-1");
  EXPECT_FALSE(v.duplicate);
}

TEST(AttemptVerdict, AlreadyAppliedIsAppliedAndCountedAsDuplicate) {
  Fixture x;
  const Verdict v = x.judge(x.facts(sdk::WriteResult::already_applied("REF-0", "seen key")));
  EXPECT_EQ(v.kind, Kind::kApplied);
  EXPECT_TRUE(v.duplicate);
  EXPECT_EQ(v.reference, "REF-0");
}

TEST(AttemptVerdict, RejectedFailsAtOnceWithTheSystemsWords) {
  Fixture x;
  const Verdict v = x.judge(x.facts(sdk::WriteResult::rejected("ORA-00001 unique constraint")));
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.cause, store::ExceptionCause::kRejected);
  EXPECT_EQ(v.detail, "ORA-00001 unique constraint");
}

TEST(AttemptVerdict, RetryableBacksOffExponentiallyUpToTheCap) {
  Fixture x;
  const milliseconds expected[] = {milliseconds(100), milliseconds(200), milliseconds(400)};
  for (uint32_t n = 1; n <= 3; ++n) {
    const Verdict v = x.judge(x.facts(sdk::WriteResult::retryable("503"), n));
    ASSERT_EQ(v.kind, Kind::kRetry) << n;
    EXPECT_EQ(v.delay, expected[n - 1]) << n;
  }
}

TEST(AttemptVerdict, RetryAfterHintIsHonoured) {
  Fixture x;
  const Verdict v = x.judge(x.facts(sdk::WriteResult::retryable("429", milliseconds(5000)), 1));
  ASSERT_EQ(v.kind, Kind::kRetry);
  EXPECT_GE(v.delay, milliseconds(5000));
}

TEST(AttemptVerdict, RetryableOutOfAttemptsFailsAsRetriesExhausted) {
  Fixture x;
  const Verdict v = x.judge(x.facts(sdk::WriteResult::retryable("503"), 4));
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.cause, store::ExceptionCause::kRetriesExhausted);
  EXPECT_NE(v.detail.find("503"), std::string::npos) << v.detail;
}

TEST(AttemptVerdict, RetryableOutOfTimeFailsAsMaxAgeExceeded) {
  Fixture x;
  AttemptFacts f = x.facts(sdk::WriteResult::retryable("503"), 2);
  f.now = f.first_attempt + std::chrono::hours(2);
  const Verdict v = x.judge(f);
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.cause, store::ExceptionCause::kMaxAgeExceeded);
}

TEST(AttemptVerdict, AmbiguousThatTheProbeFindsIsApplied) {
  Fixture x;
  AttemptFacts f = x.facts(sdk::WriteResult::ambiguous("read timeout"));
  f.probe = sdk::ProbeResult::applied("REF-9");
  const Verdict v = x.judge(f);
  EXPECT_EQ(v.kind, Kind::kApplied);
  EXPECT_EQ(v.reference, "REF-9");
  EXPECT_NE(v.detail.find("probe: applied"), std::string::npos) << v.detail;
}

TEST(AttemptVerdict, AmbiguousThatTheProbeDoesNotFindIsRetried) {
  Fixture x;
  AttemptFacts f = x.facts(sdk::WriteResult::ambiguous("connection reset"));
  f.probe = sdk::ProbeResult::not_found();
  const Verdict v = x.judge(f);
  EXPECT_EQ(v.kind, Kind::kRetry);
  EXPECT_EQ(v.delay, milliseconds(100));
}

TEST(AttemptVerdict, AnInconclusiveProbeIsAskedAgainWithoutWriting) {
  Fixture x;
  AttemptFacts f = x.facts(sdk::WriteResult::ambiguous("timeout"));
  f.probe = sdk::ProbeResult::unknown("probe timed out");
  const Verdict v = x.judge(f, OnAmbiguous::kException);
  EXPECT_EQ(v.kind, Kind::kRetry);
  EXPECT_TRUE(v.still_in_doubt);  // probe again later; never write again on a non-dedup target
  EXPECT_EQ(v.delay, milliseconds(100));
  EXPECT_NE(v.detail.find("probe: unknown (probe timed out)"), std::string::npos) << v.detail;
}

TEST(AttemptVerdict, AnInconclusiveProbeOutOfBudgetIsAnUnresolvedAmbiguity) {
  Fixture x;
  AttemptFacts f = x.facts(sdk::WriteResult::ambiguous("timeout"), 4);
  f.probe = sdk::ProbeResult::unknown("connection refused");
  const Verdict v = x.judge(f, OnAmbiguous::kException);
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.cause, store::ExceptionCause::kAmbiguousUnresolved);
}

TEST(AttemptVerdict, AmbiguousWithoutAProbeGoesToTheExceptionQueueByDefault) {
  Fixture x;
  const Verdict v =
      x.judge(x.facts(sdk::WriteResult::ambiguous("timeout")), OnAmbiguous::kException);
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.cause, store::ExceptionCause::kAmbiguousUnresolved);
  EXPECT_NE(v.detail.find("no probe"), std::string::npos) << v.detail;
}

TEST(AttemptVerdict, AmbiguousWithoutProbeIsRetriedWhereTheTargetDedupsByKey) {
  Fixture x;
  const Verdict v = x.judge(x.facts(sdk::WriteResult::ambiguous("timeout")), OnAmbiguous::kRetry);
  EXPECT_EQ(v.kind, Kind::kRetry);
  EXPECT_NE(v.detail.find("no probe"), std::string::npos) << v.detail;
}

TEST(AttemptVerdict, AmbiguousRetriesStillRespectTheBudget) {
  Fixture x;
  const Verdict v =
      x.judge(x.facts(sdk::WriteResult::ambiguous("timeout"), 4), OnAmbiguous::kRetry);
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_EQ(v.cause, store::ExceptionCause::kRetriesExhausted);
}

}  // namespace
}  // namespace coregate::engine
