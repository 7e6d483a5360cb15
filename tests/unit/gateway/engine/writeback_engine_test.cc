// The engine through the real ABI: the testing plugin injects each result class and the engine
// must do what DESIGN §3's table says, keep per-subject order under concurrency, keep a poison
// subject from delaying others, and drive the breaker through its states.
#include "gateway/engine/writeback_engine.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "gateway/mapping/configured_mappings.h"
#include "tests/unit/gateway/engine/engine_harness.h"

namespace coregate::engine {
namespace {

using testing::fresh_dir;
using testing::Harness;
using namespace std::chrono_literals;

// A config with one testing adapter "core" routed for every type. `faults` is the testing
// adapter's "faults" object; `engine_keys` are extra keys of the adapter block. Unless the test
// is about them, retries are quick and the breaker stays out of the way.
std::string config(const std::string& faults = "{}", const std::string& engine_keys = "") {
  std::string keys = engine_keys;
  if (keys.find("\"retry\"") == std::string::npos)
    keys += std::string(keys.empty() ? "" : ", ") +
            R"("retry": {"base_delay": "2ms", "max_delay": "20ms", "max_attempts": 6})";
  if (keys.find("\"breaker\"") == std::string::npos)
    keys += R"(, "breaker": {"consecutive_failures": 1000, "minimum_calls": 1000, "window": 1000})";
  return R"({"adapters": {"core": {"plugin": "testing", "config": {"faults": )" + faults + "}, " +
         keys + R"(}}, "plans": {"*": [{"adapter": "core"}]}})";
}

std::vector<store::ExceptionRecord> open_exceptions(Harness& h) {
  store::ExceptionFilter filter;
  filter.status = "open";
  filter.limit = 1000;
  return h.store().list_exceptions(filter).items;
}

TEST(WritebackEngine, AppliesEveryOutcomeExactlyOnce) {
  Harness h(config(), fresh_dir("applied"));
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(h.post("acct-" + std::to_string(i % 7)));
  ASSERT_TRUE(h.drained());
  const auto records = h.records();
  EXPECT_EQ(records.size(), 50u);
  for (const auto& id : ids) {
    const auto o = h.outcome(id);
    EXPECT_EQ(o.status, "applied") << id;
    ASSERT_EQ(o.steps.size(), 1u);
    EXPECT_EQ(o.steps[0].status, "applied");
    EXPECT_TRUE(o.steps[0].system_reference) << id;
    ASSERT_EQ(o.attempts.size(), 1u);
    EXPECT_EQ(o.attempts[0].classification, "applied");
  }
  // The idempotency key the adapter saw is the outcome id and the step.
  EXPECT_EQ(records[0].at("key").as_string(), ids[0] + ":0");
  const auto events = h.events();
  ASSERT_EQ(events.size(), 50u);
  EXPECT_EQ(events[0].status, "applied");
  ASSERT_EQ(events[0].steps.size(), 1u);
  EXPECT_TRUE(events[0].steps[0].system_reference);
}

TEST(WritebackEngine, AlreadyAppliedCountsAsDone) {
  Harness h(config(R"({"rules": [{"fault": "already_applied"}]})"), fresh_dir("already"));
  const std::string id = h.post("acct-1");
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.outcome(id).status, "applied");
  EXPECT_EQ(h.outcome(id).attempts.at(0).classification, "already_applied");
  EXPECT_EQ(h.engine().adapter_status("core")->duplicates, 1u);
}

TEST(WritebackEngine, RetryableIsRetriedUntilApplied) {
  Harness h(config(R"({"rules": [{"fault": "retryable", "times": 2, "diagnostic": "503"}]})"),
            fresh_dir("retry"));
  const std::string id = h.post("acct-1");
  ASSERT_TRUE(h.drained());
  const auto o = h.outcome(id);
  EXPECT_EQ(o.status, "applied");
  ASSERT_EQ(o.attempts.size(), 3u);
  EXPECT_EQ(o.attempts[0].classification, "retryable");
  EXPECT_EQ(o.attempts[0].detail, "503");
  EXPECT_EQ(o.attempts[2].classification, "applied");
  EXPECT_EQ(h.records().size(), 1u);
  EXPECT_EQ(h.engine().adapter_status("core")->retries, 2u);
}

TEST(WritebackEngine, RetriesExhaustedGoToTheExceptionQueue) {
  Harness h(config(R"({"rules": [{"fault": "retryable", "diagnostic": "SQLSTATE 08006"}]})"),
            fresh_dir("exhausted"));
  const std::string id = h.post("acct-1");
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.outcome(id).status, "failed");
  const auto exceptions = open_exceptions(h);
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_EQ(exceptions[0].cause, "retries_exhausted");
  EXPECT_EQ(exceptions[0].outcome_id, id);
  EXPECT_EQ(exceptions[0].attempt_count, 6);
  EXPECT_NE(exceptions[0].last_error.find("SQLSTATE 08006"), std::string::npos);
  const auto full = h.store().find_exception(exceptions[0].id);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->attempts.size(), 6u);
  EXPECT_TRUE(full->mapped_request);  // identity: the outcome as it would have been sent
  EXPECT_NE(full->outcome_body.find("acct-1"), std::string::npos);
  EXPECT_TRUE(h.records().empty());
}

TEST(WritebackEngine, RejectedGoesStraightToTheExceptionQueue) {
  Harness h(config(R"({"rules": [{"fault": "rejected", "subject": "poison",
                         "diagnostic": "account closed"}]})"),
            fresh_dir("rejected"));
  const std::string bad = h.post("poison");
  const std::string good = h.post("fine");
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.outcome(bad).status, "failed");
  EXPECT_EQ(h.outcome(good).status, "applied");
  const auto exceptions = open_exceptions(h);
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_EQ(exceptions[0].cause, "rejected");
  EXPECT_EQ(exceptions[0].attempt_count, 1);
  EXPECT_EQ(exceptions[0].last_error, "account closed");
  const auto events = h.events();
  const auto failed = std::find_if(events.begin(), events.end(),
                                   [&](const auto& e) { return e.outcome_id == bad; });
  ASSERT_NE(failed, events.end());
  EXPECT_EQ(failed->status, "failed");
  EXPECT_EQ(failed->exception_id, exceptions[0].id);
}

TEST(WritebackEngine, AmbiguousButAppliedIsSettledByTheProbeWithoutASecondWrite) {
  Harness h(config(R"({"rules": [{"fault": "ambiguous_applied", "times": 1}]})"),
            fresh_dir("amb-applied"));
  const std::string id = h.post("acct-1");
  ASSERT_TRUE(h.drained());
  const auto o = h.outcome(id);
  EXPECT_EQ(o.status, "applied");
  ASSERT_EQ(o.attempts.size(), 1u);
  EXPECT_EQ(o.attempts[0].classification, "ambiguous");
  EXPECT_NE(o.attempts[0].detail->find("probe: applied"), std::string::npos);
  EXPECT_EQ(h.records().size(), 1u);
}

TEST(WritebackEngine, AmbiguousAndNotFoundIsWrittenAgain) {
  Harness h(config(R"({"rules": [{"fault": "ambiguous_not_applied", "times": 1}]})"),
            fresh_dir("amb-not"));
  const std::string id = h.post("acct-1");
  ASSERT_TRUE(h.drained());
  const auto o = h.outcome(id);
  EXPECT_EQ(o.status, "applied");
  ASSERT_EQ(o.attempts.size(), 2u);
  EXPECT_NE(o.attempts[0].detail->find("probe: not_found"), std::string::npos);
  EXPECT_EQ(h.records().size(), 1u);
}

TEST(WritebackEngine, UnsettledAmbiguityFollowsTheTargetsPolicy) {
  {
    // The probe never gets an answer: asked again within the budget, never written twice, then
    // an unresolved ambiguity.
    Harness h(config(R"({"rules": [{"fault": "ambiguous_not_applied", "times": 1},
                                    {"hook": "probe", "fault": "unknown"}]})"),
              fresh_dir("amb-exception"));
    const std::string id = h.post("acct-1");
    ASSERT_TRUE(h.drained());
    EXPECT_EQ(h.outcome(id).status, "failed");
    EXPECT_EQ(h.outcome(id).attempts.size(), 1u);  // probed again and again, written once
    const auto exceptions = open_exceptions(h);
    ASSERT_EQ(exceptions.size(), 1u);
    EXPECT_EQ(exceptions[0].cause, "ambiguous_unresolved");
    EXPECT_TRUE(h.records().empty());
  }
  {
    // The probe is inconclusive once (the target was unreachable), then answers: not found, so
    // the step is written again — once.
    Harness h(config(R"({"rules": [{"fault": "ambiguous_not_applied", "times": 1},
                                    {"hook": "probe", "fault": "unknown", "times": 1}]})"),
              fresh_dir("amb-probe-again"));
    const std::string id = h.post("acct-1");
    ASSERT_TRUE(h.drained());
    EXPECT_EQ(h.outcome(id).status, "applied");
    EXPECT_EQ(h.records().size(), 1u);
  }
  {
    const std::string faults =
        R"({"rules": [{"fault": "ambiguous_not_applied", "times": 1},
                      {"hook": "probe", "fault": "unknown"}]})";
    Harness h(config(faults, R"("dedups_by_key": true)"), fresh_dir("amb-retry"));
    const std::string id = h.post("acct-1");
    ASSERT_TRUE(h.drained());
    EXPECT_EQ(h.outcome(id).status, "applied");
    EXPECT_EQ(h.records().size(), 1u);
  }
}

TEST(WritebackEngine, EachStepOfAPlanIsWrittenInOrderAndRecordedOnItsOwn) {
  const std::string cfg = R"({"adapters": {
      "core": {"plugin": "testing", "config": {}},
      "crm": {"plugin": "testing", "config": {"faults": {"rules": [{"fault": "retryable",
              "times": 1}]}}, "retry": {"base_delay": "2ms", "max_delay": "5ms"}}},
      "plans": {"arrangement.*": [{"adapter": "core"}, {"adapter": "crm"}],
                "*": [{"adapter": "crm"}]}})";
  Harness h(cfg, fresh_dir("steps"));
  const std::string id = h.post("acct-1", "arrangement.promise_to_pay");
  const std::string note = h.post("acct-2", "account.note_added");
  ASSERT_TRUE(h.drained());
  const auto o = h.outcome(id);
  EXPECT_EQ(o.status, "applied");
  ASSERT_EQ(o.steps.size(), 2u);
  EXPECT_EQ(o.steps[0].adapter, "core");
  EXPECT_EQ(o.steps[0].attempt_count, 1);
  EXPECT_EQ(o.steps[1].adapter, "crm");
  EXPECT_EQ(o.steps[1].attempt_count, 2);
  EXPECT_EQ(h.records("core").size(), 1u);
  const auto crm = h.records("crm");
  ASSERT_EQ(crm.size(), 2u);
  std::set<std::string> crm_keys{std::string(crm[0].at("key").as_string()),
                                 std::string(crm[1].at("key").as_string())};
  EXPECT_EQ(crm_keys, (std::set<std::string>{id + ":1", note + ":0"}));
  EXPECT_EQ(h.records("core")[0].at("key").as_string(), id + ":0");
}

TEST(WritebackEngine, PerSubjectOrderHoldsUnderConcurrencyAndRandomFaults) {
  // 1,000 subjects x 20 outcomes, posted interleaved; a fifth of the writes fail retryably and
  // some are ambiguous (applied or not). Each subject's writes must land in posting order.
  Harness h(config(R"({"write": {"retryable": 0.15, "ambiguous_applied": 0.03,
                                 "ambiguous_not_applied": 0.03}})",
                   R"("concurrency": 16)"),
            fresh_dir("order"));
  constexpr int kSubjects = 1000;
  constexpr int kPerSubject = 20;
  std::map<std::string, std::vector<std::string>> posted;
  for (int round = 0; round < kPerSubject; ++round) {
    for (int s = 0; s < kSubjects; ++s) {
      const std::string subject = "acct-" + std::to_string(s);
      const std::string id = "o-" + std::to_string(round) + "-" + std::to_string(s);
      h.post_async(id, subject);
      posted[subject].push_back(id + ":0");
    }
  }
  ASSERT_TRUE(h.drained(120s));
  std::map<std::string, std::vector<std::string>> landed;
  const auto records = h.records();
  ASSERT_EQ(records.size(), static_cast<size_t>(kSubjects * kPerSubject));
  for (const auto& r : records) {
    landed[std::string(r.at("subject").as_string())].push_back(
        std::string(r.at("key").as_string()));
  }
  for (const auto& [subject, keys] : posted) {
    ASSERT_EQ(landed[subject], keys) << subject;
  }
  EXPECT_GT(h.engine().adapter_status("core")->retries, 0u);
}

TEST(WritebackEngine, APoisonSubjectDoesNotDelayOthers) {
  // The poison subject fails retryably for a long time; everyone else must still get through,
  // and the poison subject's later outcome must wait behind its head.
  Harness h(config(R"({"rules": [{"fault": "retryable", "subject": "poison"}]})",
                   R"("retry": {"base_delay": "5ms", "max_delay": "10ms", "max_attempts": 1000})"),
            fresh_dir("poison"));
  const std::string first_poison = h.post("poison");
  for (int i = 0; i < 200; ++i)
    h.post_async("ok-" + std::to_string(i), "acct-" + std::to_string(i));
  const std::string second_poison = h.post("poison");
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (h.records().size() < 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(h.records().size(), 200u);
  EXPECT_EQ(h.outcome(first_poison).status, "in_flight");
  EXPECT_EQ(h.outcome(second_poison).status, "accepted");  // waits behind its subject's head
  EXPECT_GE(h.outcome(first_poison).attempts.size(), 2u);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(h.outcome(second_poison).status, "accepted");
  EXPECT_EQ(h.outcome(second_poison).attempts.size(), 0u);
}

TEST(WritebackEngine, BreakerOpensHoldsHalfOpensAndCloses) {
  Harness h(config(R"({"write": {"retryable": 1.0}})",
                   R"("concurrency": 1, "breaker": {"consecutive_failures": 3, "open_for": "400ms",
                      "trial_calls": 1}, "retry": {"base_delay": "1ms", "max_delay": "2ms",
                      "max_attempts": 1000})"),
            fresh_dir("breaker"));
  for (int i = 0; i < 5; ++i) h.post("acct-" + std::to_string(i));
  auto state = [&] { return h.engine().adapter_status("core")->breaker_state; };
  auto attempts = [&] { return h.engine().adapter_status("core")->retries; };
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (state() != "open" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(state(), "open");
  EXPECT_EQ(h.engine().adapter_status("core")->state, "unhealthy");
  // Held: no attempts burned while open (once the attempt that tripped it has been recorded).
  while (h.engine().adapter_status("core")->in_flight > 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  const auto held = attempts();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(state(), "open");
  EXPECT_EQ(attempts(), held);
  // Heal the target, but slowly, so the half-open trial can be seen in flight.
  h.inbound("core", R"({"control": {"latency_ms": 300, "faults": {}}})");
  bool saw_half_open = false;
  const auto deadline2 = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline2) {
    const std::string s = state();
    if (s == "half_open") saw_half_open = true;
    if (saw_half_open && s == "closed") break;
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_TRUE(saw_half_open);
  EXPECT_EQ(state(), "closed");
  h.inbound("core", R"({"control": {"latency_ms": 0, "faults": {}}})");
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.records().size(), 5u);
}

TEST(WritebackEngine, MetricsCountAttemptsByClass) {
  Harness h(config(R"({"rules": [{"fault": "retryable", "times": 1}]})"), fresh_dir("metrics"));
  h.post("acct-1");
  ASSERT_TRUE(h.drained());
  h.engine().collect_metrics();
  const std::string text = h.metrics().render();
  EXPECT_NE(text.find(R"(coregate_writeback_attempts_total{adapter="core",class="retryable"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(coregate_writeback_attempts_total{adapter="core",class="applied"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(coregate_outcomes_accepted_total{type="account.note_added"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(coregate_breaker_state{adapter="core"} 0)"), std::string::npos);
}

}  // namespace
}  // namespace coregate::engine
