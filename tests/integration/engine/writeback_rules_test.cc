// The engine's rules through the real plugin ABI and the testing adapter: each result class ends
// where DESIGN §3/§4 say, step policies narrow the budget, per subject FIFO with a poison subject,
// a graceful stop leaves nothing in doubt, and a step whose adapter was removed fails visibly.
#include "tests/integration/engine/engine_gateway_fixture.h"

namespace coregate::testing::engine_it {
namespace {

class WritebackRulesTest : public EngineGatewayTest {};

// A graceful stop (SIGTERM: a routine deploy) must not turn steps that were claimed but never
// sent into exceptions. The probe here can never tell (UNKNOWN, as for a target without a probe)
// and on_ambiguous is "exception", so a claim the restart wrongly treats as in doubt ends as
// ambiguous_unresolved although nothing was ever sent for it.
TEST_F(WritebackRulesTest, GracefulStopDoesNotTurnUnsentClaimsIntoExceptions) {
  const std::string keys =
      "\"concurrency\": 1, \"timeout\": \"5s\",\n"
      "    \"retry\": {\"max_attempts\": 5, \"base_delay\": \"20ms\", \"max_delay\": "
      "\"20ms\"},\n"
      "    \"on_ambiguous\": \"exception\"";
  // One worker and a claim window of two: while the first write runs (400 ms) the second outcome
  // is claimed and waits for the worker; the third waits unclaimed.
  start(keys, json::object{{"latency_ms", 400},
                           {"faults", json::object{{"probe", json::object{{"unknown", 1.0}}}}}});
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(post("graceful-" + std::to_string(i), "graceful-subject-" + std::to_string(i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  const int status = gateway_->kill(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << gateway_->log_text();
  json::object testing{
      {"seed", 7}, {"journal", journal().string()}, {"control_file", control_file().string()}};
  gateway_ =
      std::make_unique<GatewayProcess>(dir_, engine_config(dir_, testing, keys), workflow_env());
  gateway_->start();
  for (const auto& id : ids) {
    std::string last;
    ASSERT_TRUE(eventually(
        [&] {
          last = outcome_status(port(), id);
          return last == "applied" || last == "failed";
        },
        std::chrono::seconds(15)));
    std::string why;
    for (const auto& e : exceptions_for(id))
      why += std::string(e.at("cause").as_string()) + ": " +
             std::string(e.at("last_error").as_string());
    EXPECT_EQ(last, "applied") << "outcome " << id << " (posted " << (&id - ids.data())
                               << "), never in doubt, ended " << last << " — " << why;
  }
  // The target's record: each key at most once (what did land, landed once).
  std::map<std::string, int> landed;
  for (const auto& line : read_journal(journal())) ++landed[line.key];
  for (const auto& [key, count] : landed) EXPECT_EQ(count, 1) << key;
}

// Each result class ends where DESIGN §3/§4 say, through the real plugin ABI: REJECTED ->
// rejected; RETRYABLE until max_attempts -> retries_exhausted; RETRYABLE past a step policy's
// max_age -> max_age_exceeded; AMBIGUOUS that no probe can settle -> ambiguous_unresolved;
// (whether it landed or not: the target shows it at most once); ALREADY_APPLIED -> applied,
// counted as a duplicate.
TEST_F(WritebackRulesTest, EachResultClassEndsWhereDocumented) {
  json::array rules{
      json::object{{"subject", "rejected"}, {"fault", "rejected"}, {"diagnostic", "422 no"}},
      json::object{{"subject", "retryable"}, {"fault", "retryable"}},
      json::object{{"subject", "old"}, {"fault", "retryable"}},
      json::object{{"subject", "unsettled"}, {"fault", "ambiguous_not_applied"}},
      json::object{{"subject", "landed"}, {"fault", "ambiguous_applied"}},
      json::object{{"subject", "duplicate"}, {"fault", "already_applied"}},
      // No probe can tell (the probe that does settle it is covered by the crash test).
      json::object{{"hook", "probe"}, {"fault", "unknown"}}};
  start(
      "\"concurrency\": 4, \"timeout\": \"2s\",\n"
      "    \"retry\": {\"max_attempts\": 3, \"base_delay\": \"20ms\", \"max_delay\": "
      "\"40ms\"},\n"
      "    " COREGATE_TEST_NO_BREAKER
      ",\n"
      "    \"on_ambiguous\": \"exception\"",
      json::object{{"faults", json::object{{"rules", rules}}}});
  std::map<std::string, std::string> id_of;
  for (const char* subject :
       {"rejected", "retryable", "unsettled", "landed", "duplicate", "plain"}) {
    id_of[subject] = post(std::string("class-") + subject, subject);
  }
  std::map<std::string, std::pair<std::string, std::string>> expected{
      {"rejected", {"failed", "rejected"}},
      {"retryable", {"failed", "retries_exhausted"}},
      {"unsettled", {"failed", "ambiguous_unresolved"}},
      {"landed", {"failed", "ambiguous_unresolved"}},
      {"duplicate", {"applied", ""}},
      {"plain", {"applied", ""}}};
  for (const auto& [subject, want] : expected) {
    const std::string& id = id_of[subject];
    std::string last;
    ASSERT_TRUE(eventually([&] {
      last = outcome_status(port(), id);
      return last == "applied" || last == "failed";
    })) << subject
        << " is " << last;
    EXPECT_EQ(last, want.first) << subject;
    auto exceptions = exceptions_for(id);
    if (want.second.empty()) {
      EXPECT_TRUE(exceptions.empty()) << subject;
    } else {
      ASSERT_EQ(exceptions.size(), 1u) << subject;
      EXPECT_EQ(exceptions[0].at("cause").as_string(), want.second) << subject;
      if (want.second == "retries_exhausted") {
        EXPECT_EQ(exceptions[0].at("attempts").as_int64(), 3) << exceptions[0];
      }
    }
  }
  std::map<std::string, int> landed;
  for (const auto& line : read_journal(journal())) ++landed[line.outcome_id];
  EXPECT_EQ(landed[id_of["landed"]], 1) << "ambiguous_applied landed once, and only once";
  EXPECT_EQ(landed[id_of["duplicate"]], 1);
  EXPECT_EQ(landed[id_of["plain"]], 1);
  EXPECT_EQ(landed[id_of["unsettled"]], 0);
  EXPECT_EQ(landed[id_of["retryable"]], 0);
  EXPECT_EQ(landed[id_of["rejected"]], 0);
  const std::string text = metrics_text(port());
  EXPECT_EQ(metric_value(text, "coregate_writeback_duplicates_total{adapter=\"core\"}"), 1.0)
      << text;
  for (const auto& [cause, count] : std::map<std::string, double>{
           {"rejected", 1}, {"retries_exhausted", 1}, {"ambiguous_unresolved", 2}}) {
    EXPECT_EQ(
        metric_value(text, std::string("coregate_exceptions_total{adapter=\"core\",cause=\"") +
                               cause + "\"}"),
        count)
        << cause;
  }
}

// plan_table.h: a step's "policy" narrows the adapter's retry budget for that step
// ("max_attempts", "max_age"). The adapter here allows 1000 attempts; the plans allow 2 attempts
// for promises and 300 ms for notes, so both must reach the exception queue quickly.
TEST_F(WritebackRulesTest, StepPolicyNarrowsTheRetryBudget) {
  dir_ = fresh_temp_dir("step-policy");
  json::object testing{{"seed", 7},
                       {"journal", journal().string()},
                       {"faults", json::object{{"write", json::object{{"retryable", 1.0}}}}}};
  std::string config =
      engine_config(dir_, testing,
                    "\"retry\": {\"max_attempts\": 1000, \"base_delay\": \"20ms\", \"max_delay\": "
                    "\"40ms\"}, " COREGATE_TEST_NO_BREAKER "");
  const std::string plans = "\"plans\": {\"*\": [{\"adapter\": \"core\"}]}";
  const auto at = config.find(plans);
  ASSERT_NE(at, std::string::npos);
  config.replace(at, plans.size(),
                 "\"plans\": {\"*\": [{\"adapter\": \"core\", \"policy\": {\"max_attempts\": "
                 "2}}], \"case.*\": [{\"adapter\": \"core\", \"policy\": {\"max_age\": "
                 "\"300ms\"}}]}");
  gateway_ = std::make_unique<GatewayProcess>(dir_, config, workflow_env());
  gateway_->start();
  const std::string promise = post("policy-1", "policy-subject-1");
  TestClient client(port());
  Reply note = post_outcome(
      client, "policy-2",
      R"({"type": "case.note_added", "subject": "policy-subject-2", "data": {"text": "hi"}})");
  ASSERT_EQ(note.status, 202) << note.body;
  const std::string note_id(note.json().at("id").as_string());
  for (const auto& expected : std::vector<std::pair<std::string, std::string>>{
           {promise, "retries_exhausted"}, {note_id, "max_age_exceeded"}}) {
    const std::string& id = expected.first;  // (clang 14 cannot capture a structured binding)
    const std::string& cause = expected.second;
    std::string last;
    const bool failed = eventually(
        [&] {
          last = outcome_status(port(), id);
          return last == "failed";
        },
        std::chrono::seconds(5));
    EXPECT_TRUE(failed) << "expected " << cause << " from the step policy; the outcome is still "
                        << last << " after 5 s, "
                        << adapter_core().at("counts").at("retries").as_int64()
                        << " retries so far (the adapter's own budget is 1000 attempts)";
    if (!failed) continue;
    auto exceptions = exceptions_for(id);
    ASSERT_EQ(exceptions.size(), 1u);
    EXPECT_EQ(exceptions[0].at("cause").as_string(), cause) << exceptions[0];
    if (cause == "retries_exhausted") {
      EXPECT_EQ(exceptions[0].at("attempts").as_int64(), 2) << exceptions[0];
    }
  }
}

// Per subject strict FIFO, and a poison subject holds back only itself: while the head of one
// subject keeps failing (RETRYABLE), its later outcome waits, and every other subject is written.
TEST_F(WritebackRulesTest, PoisonSubjectHoldsBackOnlyItsOwnQueue) {
  start(kFastEngine,
        json::object{
            {"faults", json::object{{"rules", json::array{json::object{
                                                  {"subject", "poison"},
                                                  {"outcome_type", "arrangement.promise_to_pay"},
                                                  {"fault", "retryable"}}}}}}});
  const std::string head = post("fifo-head", "poison", "1.00");
  TestClient client(port());
  // The same subject's next outcome is a note: the rule does not touch it, so only the FIFO
  // keeps it from being written before the head.
  Reply note = post_outcome(
      client, "fifo-next",
      R"({"type": "case.note_added", "subject": "poison", "data": {"text": "after the promise"}})");
  ASSERT_EQ(note.status, 202) << note.body;
  const std::string next(note.json().at("id").as_string());
  std::vector<std::string> others;
  for (int i = 0; i < 20; ++i)
    others.push_back(post("fifo-other-" + std::to_string(i), "healthy-" + std::to_string(i)));
  for (const auto& id : others) await_status(id, "applied");
  ASSERT_TRUE(eventually(
      [&] { return adapter_core().at("counts").at("retries").to_number<int64_t>() > 3; }));
  EXPECT_EQ(outcome_status(port(), head), "in_flight");
  EXPECT_EQ(outcome_status(port(), next), "accepted")
      << "a later outcome of a subject must wait for the earlier one";
  // The target recovers: the head is written, then the next, in that order.
  write_control(control_file(), {});
  await_status(head, "applied");
  await_status(next, "applied");
  std::vector<std::string> poison_order;
  for (const auto& line : read_journal(journal())) {
    if (line.subject == "poison") poison_order.push_back(line.outcome_id);
  }
  EXPECT_EQ(poison_order, (std::vector<std::string>{head, next}));
}

// An outcome stored for an adapter that a later config no longer has: its step goes to the
// exception queue with that reason (it cannot be written anywhere), and other subjects go on.
TEST_F(WritebackRulesTest, StepForARemovedAdapterBecomesAnException) {
  start(kFastEngine,
        json::object{{"faults", json::object{{"write", json::object{{"retryable", 1.0}}}}}});
  const std::string stranded = post("removed-1", "removed-subject");
  ASSERT_TRUE(eventually([&] { return adapter_core().at("counts").at("retries") != 0; }));
  // Restart with the adapter renamed: "core" is gone, plans now route to "core2".
  gateway_->kill(SIGKILL);
  json::object testing{{"seed", 7}, {"journal", (dir_ / "journal2.jsonl").string()}};
  std::string config = engine_config(dir_, testing, kFastEngine);
  for (const std::string from : {"\"core\": {", "{\"adapter\": \"core\"}"}) {
    const auto at = config.find(from);
    ASSERT_NE(at, std::string::npos);
    config.replace(at, from.size(),
                   from == "\"core\": {" ? "\"core2\": {" : "{\"adapter\": \"core2\"}");
  }
  gateway_ = std::make_unique<GatewayProcess>(dir_, config, workflow_env());
  gateway_->start();
  await_status(stranded, "failed");
  auto listed = exceptions_for(stranded, "?adapter=core");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("cause").as_string(), "rejected");
  EXPECT_NE(std::string(listed[0].at("last_error").as_string()).find("not configured"),
            std::string::npos)
      << listed[0];
  const std::string fresh = post("removed-2", "other-subject");
  await_status(fresh, "applied");
}

}  // namespace
}  // namespace coregate::testing::engine_it
