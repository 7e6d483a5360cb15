// Fault injection in the testing adapter: each class at a rate (seeded and reproducible), for
// chosen keys, subjects and prefixes, a limited number of times; both AMBIGUOUS variants; hangs;
// exceptions through the SDK barrier; latency.
#include <chrono>
#include <map>

#include "tests/unit/plugins/testing/plugin_fixture.h"

namespace coregate::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<int32_t> classes_of(const AdapterHandle& a, int n, const std::string& prefix = "k") {
  std::vector<int32_t> out;
  for (int i = 0; i < n; ++i) out.push_back(a.write(prefix + std::to_string(i)).write_class);
  return out;
}

TEST_F(TestingPlugin, RatesAreHonouredAndReproducibleForASeed) {
  const std::string config =
      R"({"seed": 7, "faults": {"write": {"retryable": 0.2, "rejected": 0.1}}})";
  std::vector<int32_t> first = classes_of(create(config, "a"), 2000);
  std::vector<int32_t> again = classes_of(create(config, "b"), 2000);
  EXPECT_EQ(first, again) << "same seed, same keys, same attempts: same faults";
  std::map<int32_t, int> count;
  for (int32_t c : first) ++count[c];
  EXPECT_NEAR(count[CG_WRITE_RETRYABLE], 400, 80);
  EXPECT_NEAR(count[CG_WRITE_REJECTED], 200, 60);
  EXPECT_EQ(count[CG_WRITE_APPLIED] + count[CG_WRITE_RETRYABLE] + count[CG_WRITE_REJECTED], 2000);
  std::vector<int32_t> other_seed = classes_of(
      create(R"({"seed": 8, "faults": {"write": {"retryable": 0.2, "rejected": 0.1}}})", "c"),
      2000);
  EXPECT_NE(first, other_seed);
}

TEST_F(TestingPlugin, ARetriedAttemptDrawsAgainSoRetryableKeysEventuallyLand) {
  AdapterHandle& a = create(R"({"seed": 3, "faults": {"write": {"retryable": 0.5}}})");
  int landed = 0;
  for (int i = 0; i < 200; ++i) {
    WriteCall call;
    call.key = "k" + std::to_string(i);
    for (call.attempt = 1; call.attempt <= 30; ++call.attempt) {
      WriteOutcome o = a.write(call);
      if (o.write_class == CG_WRITE_APPLIED) {
        ++landed;
        break;
      }
      ASSERT_EQ(o.write_class, CG_WRITE_RETRYABLE);
      ASSERT_EQ(a.probe(call.key).state, CG_PROBE_NOT_FOUND) << "RETRYABLE means not applied";
    }
  }
  EXPECT_EQ(landed, 200);
}

TEST_F(TestingPlugin, RetryableCarriesRetryAfterAndDiagnostic) {
  AdapterHandle& a = create(R"({"faults": {"retry_after_ms": 250, "rules": [
      {"key": "slow", "fault": "retryable"},
      {"key": "custom", "fault": "retryable", "retry_after_ms": 9, "diagnostic": "SQLSTATE 40001"}]}})");
  WriteOutcome slow = a.write("slow");
  EXPECT_EQ(slow.write_class, CG_WRITE_RETRYABLE);
  EXPECT_EQ(slow.retry_after_ms, 250);
  EXPECT_NE(slow.diagnostic.find("503"), std::string::npos) << slow.diagnostic;
  WriteOutcome custom = a.write("custom");
  EXPECT_EQ(custom.retry_after_ms, 9);
  EXPECT_EQ(custom.diagnostic, "SQLSTATE 40001");
}

TEST_F(TestingPlugin, RulesMatchKeysPrefixesSubjectsAndTypesFirstMatchWins) {
  AdapterHandle& a = create(R"({"faults": {"write": {"retryable": 1.0}, "rules": [
      {"key": "exact", "fault": "rejected"},
      {"key_prefix": "vip-", "fault": "none"},
      {"subject": "acct-poison", "fault": "rejected", "diagnostic": "poison"},
      {"subject_prefix": "acct-amb", "fault": "ambiguous_not_applied"},
      {"outcome_type": "note.added", "key_prefix": "note-", "fault": "already_applied"}]}})");
  auto write = [&](std::string key, std::string subject = "acct-1", std::string type = "x.y") {
    WriteCall call;
    call.key = std::move(key);
    call.subject = std::move(subject);
    call.outcome_type = std::move(type);
    return a.write(call);
  };
  EXPECT_EQ(write("exact").write_class, CG_WRITE_REJECTED);
  EXPECT_EQ(write("vip-1").write_class, CG_WRITE_APPLIED) << "\"none\" exempts from rates";
  WriteOutcome poison = write("p1", "acct-poison");
  EXPECT_EQ(poison.write_class, CG_WRITE_REJECTED);
  EXPECT_EQ(poison.diagnostic, "poison");
  EXPECT_EQ(write("m1", "acct-amb-7").write_class, CG_WRITE_AMBIGUOUS);
  EXPECT_EQ(a.probe("m1").state, CG_PROBE_NOT_FOUND);
  WriteOutcome note = write("note-1", "acct-1", "note.added");
  EXPECT_EQ(note.write_class, CG_WRITE_ALREADY_APPLIED);
  EXPECT_FALSE(note.reference.empty());
  EXPECT_EQ(a.probe("note-1").state, CG_PROBE_APPLIED) << "already_applied records the key";
  EXPECT_EQ(write("note-2", "acct-1", "other.type").write_class, CG_WRITE_RETRYABLE)
      << "every field of a rule must match";
  EXPECT_EQ(write("anything").write_class, CG_WRITE_RETRYABLE);
}

TEST_F(TestingPlugin, TimesLimitsARuleToTheFirstCallsOfEachKey) {
  AdapterHandle& a = create(
      R"({"faults": {"rules": [{"key_prefix": "flaky-", "fault": "retryable", "times": 2}]}})");
  for (std::string key : {"flaky-1", "flaky-2"}) {
    EXPECT_EQ(a.write(key).write_class, CG_WRITE_RETRYABLE) << key;
    EXPECT_EQ(a.write(key).write_class, CG_WRITE_RETRYABLE) << key;
    EXPECT_EQ(a.write(key).write_class, CG_WRITE_APPLIED) << key;
    EXPECT_EQ(a.write(key).write_class, CG_WRITE_ALREADY_APPLIED) << key;
  }
}

TEST_F(TestingPlugin, AmbiguousAppliedLandsAndAmbiguousNotAppliedDoesNot) {
  AdapterHandle& a = create(R"({"faults": {"rules": [
      {"key": "landed", "fault": "ambiguous_applied", "times": 1},
      {"key": "lost", "fault": "ambiguous_not_applied", "times": 1}]}})");
  WriteOutcome landed = a.write("landed");
  EXPECT_EQ(landed.write_class, CG_WRITE_AMBIGUOUS);
  EXPECT_TRUE(landed.reference.empty()) << "an ambiguous answer carries no reference";
  ProbeOutcome p = a.probe("landed");
  EXPECT_EQ(p.state, CG_PROBE_APPLIED);
  EXPECT_EQ(a.write("landed").write_class, CG_WRITE_ALREADY_APPLIED)
      << "a retry after a landed ambiguous write must not double it";
  EXPECT_EQ(a.write("landed").reference, p.reference);

  EXPECT_EQ(a.write("lost").write_class, CG_WRITE_AMBIGUOUS);
  EXPECT_EQ(a.probe("lost").state, CG_PROBE_NOT_FOUND);
  EXPECT_EQ(a.write("lost").write_class, CG_WRITE_APPLIED);
}

TEST_F(TestingPlugin, TheAmbiguousCoinIsSeededAndProbeAgreesWithIt) {
  const std::string config = R"({"seed": 11, "faults": {"write": {"ambiguous": 1.0}}})";
  AdapterHandle& a = create(config, "a");
  AdapterHandle& b = create(config, "b");
  int landed = 0;
  for (int i = 0; i < 400; ++i) {
    std::string key = "k" + std::to_string(i);
    ASSERT_EQ(a.write(key).write_class, CG_WRITE_AMBIGUOUS);
    ASSERT_EQ(b.write(key).write_class, CG_WRITE_AMBIGUOUS);
    int32_t state = a.probe(key).state;
    ASSERT_EQ(state, b.probe(key).state) << "same seed, same coin";
    landed += state == CG_PROBE_APPLIED;
  }
  EXPECT_NEAR(landed, 200, 50) << "both variants occur";
}

TEST_F(TestingPlugin, HangSleepsPastTheDeadlineThenAnswersAmbiguous) {
  AdapterHandle& a = create(R"({"faults": {"rules": [
      {"key": "stuck", "fault": "hang"}, {"key": "stuck-applied", "fault": "hang_applied"}]}})");
  WriteCall call;
  call.key = "stuck";
  // Deadline 900 ms ago: "until the deadline plus one second" is then about 100 ms from now.
  call.deadline_unix_ms = host_.now_unix_ms() - 900;
  auto start = Clock::now();
  WriteOutcome o = a.write(call);
  auto took = Clock::now() - start;
  EXPECT_EQ(o.write_class, CG_WRITE_AMBIGUOUS);
  EXPECT_GE(took, std::chrono::milliseconds(80));
  EXPECT_LT(took, std::chrono::milliseconds(900));
  EXPECT_GT(host_.now_unix_ms(), call.deadline_unix_ms + 1000 - 20) << "slept past the deadline";
  EXPECT_EQ(a.probe("stuck").state, CG_PROBE_NOT_FOUND);

  call.key = "stuck-applied";
  call.deadline_unix_ms = host_.now_unix_ms() - 950;
  EXPECT_EQ(a.write(call).write_class, CG_WRITE_AMBIGUOUS);
  EXPECT_EQ(a.probe("stuck-applied").state, CG_PROBE_APPLIED);
}

TEST_F(TestingPlugin, HangMsOverridesTheDeadline) {
  AdapterHandle& a =
      create(R"({"faults": {"hang_ms": 60, "rules": [{"key": "stuck", "fault": "hang"}]}})");
  auto start = Clock::now();
  EXPECT_EQ(a.write("stuck").write_class, CG_WRITE_AMBIGUOUS);
  auto took = Clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(60));
  EXPECT_LT(took, std::chrono::milliseconds(2000)) << "not the 5 s default deadline";
}

TEST_F(TestingPlugin, ThrowFaultsBecomeErrorsThroughTheBarrierInEveryHook) {
  AdapterHandle& a = create(R"({"faults": {"health": {"throw": 1.0}, "rules": [
      {"key": "boom", "fault": "throw"},
      {"hook": "probe", "key": "boom-probe", "fault": "throw", "diagnostic": "probe blew up"}]}})");
  WriteOutcome w = a.write("boom");
  EXPECT_EQ(w.status, CG_STATUS_ERROR);
  EXPECT_EQ(w.diagnostic, "write: testing: injected exception in write for key 'boom'");
  EXPECT_EQ(a.probe("boom").state, CG_PROBE_NOT_FOUND) << "a throwing write applied nothing";
  ProbeOutcome p = a.probe("boom-probe");
  EXPECT_EQ(p.status, CG_STATUS_ERROR);
  EXPECT_EQ(p.diagnostic, "probe: probe blew up");
  HealthOutcome h = a.health();
  EXPECT_EQ(h.status, CG_STATUS_ERROR);
  EXPECT_EQ(h.detail, "health: testing: injected exception in health");
}

TEST_F(TestingPlugin, ProbeFaultsAnswerUnknownAndRetriedProbesDrawAgain) {
  AdapterHandle& a = create(R"({"faults": {"rules": [
      {"hook": "probe", "key": "k", "fault": "unknown", "times": 1}]}})");
  ASSERT_EQ(a.write("k").write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(a.probe("k").state, CG_PROBE_UNKNOWN);
  EXPECT_EQ(a.probe("k").state, CG_PROBE_APPLIED);
  AdapterHandle& r = create(R"({"seed": 5, "faults": {"probe": {"unknown": 0.5}}})", "r");
  int unknown = 0;
  for (int i = 0; i < 200; ++i) unknown += r.probe("same-key").state == CG_PROBE_UNKNOWN;
  EXPECT_NEAR(unknown, 100, 35) << "each probe of a key is a fresh draw";
}

TEST_F(TestingPlugin, LatencyAndJitterDelayWrites) {
  AdapterHandle& fixed = create(R"({"latency_ms": 30})", "fixed");
  auto start = Clock::now();
  EXPECT_EQ(fixed.write("k").write_class, CG_WRITE_APPLIED);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(30));
  AdapterHandle& jittery = create(R"({"jitter_ms": 20, "seed": 1})", "jitter");
  start = Clock::now();
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(jittery.write("k" + std::to_string(i)).status, CG_STATUS_OK);
  auto took = Clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(40)) << "mean jitter ~10 ms per write";
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST_F(TestingPlugin, InjectedFaultsAreCountedAsMetrics) {
  AdapterHandle& a = create(R"({"faults": {"rules": [{"key": "x", "fault": "rejected"}]}})");
  ASSERT_EQ(a.write("x").write_class, CG_WRITE_REJECTED);
  bool seen = false;
  for (const auto& m : host_.metrics()) {
    if (m.name == "testing_faults_injected_total") {
      seen = true;
      EXPECT_EQ(boost::json::parse(m.labels_json),
                boost::json::parse(R"({"hook":"write","fault":"rejected"})"));
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace coregate::testing
