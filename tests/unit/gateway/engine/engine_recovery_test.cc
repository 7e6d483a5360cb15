// What survives a stop: in-doubt attempts are settled by a probe, persisted retry times are
// honoured, mappings shape what is sent (and a record they cannot map is an exception, never a
// write), and an operator's replay or discard takes effect.
#include <gtest/gtest.h>

#include <fstream>

#include "gateway/mapping/configured_mappings.h"
#include "tests/unit/gateway/engine/engine_harness.h"

namespace coregate::engine {
namespace {

using testing::fresh_dir;
using testing::Harness;
using namespace std::chrono_literals;

constexpr const char* kConfig = R"({"adapters": {"core": {"plugin": "testing", "config": {},
    "retry": {"base_delay": "1s", "max_delay": "1s"},
    "breaker": {"consecutive_failures": 1000}}},
    "plans": {"*": [{"adapter": "core"}]}})";

// A fixed point of the range: delays are exactly half of min(cap, base * 2^(n-1)).
class HalfOfRange final : public RandomSource {
 public:
  uint64_t up_to(uint64_t bound) override { return bound / 2; }
};

TEST(EngineRecovery, ALeasedAttemptIsProbedAndWrittenWhenNotFound) {
  const auto dir = fresh_dir("in-doubt");
  std::string id;
  {
    // A run that claimed the step and died before writing: lease + attempt row, nothing sent.
    store::SqliteStoreOptions options;
    options.path = dir / "coregate.db";
    store::SqliteOutcomeStore store(options);
    store::NewOutcome o;
    o.id = id = "in-doubt-1";
    o.principal = "test";
    o.idempotency_key = "k";
    o.type = "account.note_added";
    o.subject = "acct-1";
    o.body_json = R"({"type": "account.note_added", "subject": "acct-1", "data": {}})";
    o.response_body = "{}";
    o.steps = {store::NewStep{"core", ""}};
    std::promise<void> accepted;
    ASSERT_TRUE(store.submit(std::move(o), [&](store::AcceptResult&&) { accepted.set_value(); }));
    accepted.get_future().get();
    std::promise<bool> claimed;
    store::ClaimStep claim;
    claim.outcome_seq = 1;
    claim.step_index = 0;
    claim.attempt_no = 1;
    claim.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    claim.lease_expires_at_ms = claim.at_ms + 60'000;
    claim.lease_owner = "dead-run";
    ASSERT_TRUE(
        store.record(claim, [&](store::EngineWriteResult&& r) { claimed.set_value(r.ok); }));
    ASSERT_TRUE(claimed.get_future().get());
  }
  Harness h(kConfig, dir);
  ASSERT_TRUE(h.drained());
  const auto o = h.outcome(id);
  EXPECT_EQ(o.status, "applied");
  ASSERT_EQ(o.attempts.size(), 2u);
  EXPECT_EQ(o.attempts[0].classification, "in_doubt");
  EXPECT_NE(o.attempts[0].detail->find("probe: not_found"), std::string::npos)
      << *o.attempts[0].detail;
  EXPECT_EQ(o.attempts[1].classification, "applied");
  EXPECT_EQ(h.records().size(), 1u);
}

TEST(EngineRecovery, AGracefulStopLeavesNothingInDoubt) {
  const auto dir = fresh_dir("graceful");
  {
    Harness h(R"({"adapters": {"core": {"plugin": "testing", "config": {"latency_ms": 50},
        "concurrency": 2}}, "plans": {"*": [{"adapter": "core"}]}})",
              dir);
    for (int i = 0; i < 20; ++i)
      h.post_async("g-" + std::to_string(i), "acct-" + std::to_string(i));
    std::this_thread::sleep_for(120ms);
  }  // stop while steps are claimed and being written
  store::SqliteStoreOptions options;
  options.path = dir / "coregate.db";
  store::SqliteOutcomeStore store(options);
  size_t unfinished = 0, leased = 0;
  store.scan_unfinished([&](store::UnfinishedOutcome&& o) {
    ++unfinished;
    for (const auto& step : o.steps) leased += step.status == "leased" ? 1 : 0;
  });
  EXPECT_GT(unfinished, 0u);  // the stop really interrupted work
  EXPECT_EQ(leased, 0u);      // ...but handed every unsent claim back
}

TEST(EngineRecovery, RetryDelaysComeFromTheInjectedClockAndRandomSource) {
  ManualClock clock;
  HalfOfRange random;
  const std::string cfg = R"({"adapters": {"core": {"plugin": "testing", "config": {"faults":
      {"rules": [{"fault": "retryable", "times": 2}]}},
      "retry": {"base_delay": "1s", "max_delay": "1m"},
      "breaker": {"consecutive_failures": 1000}}},
      "plans": {"*": [{"adapter": "core"}]}})";
  Harness h(cfg, fresh_dir("clock"), nullptr, &clock, &random);
  const std::string id = h.post("acct-1");
  auto attempts = [&] { return h.outcome(id).attempts.size(); };
  auto wait_for_attempts = [&](size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (attempts() < n || !h.outcome(id).attempts.back().finished_at_ms) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  };
  ASSERT_TRUE(wait_for_attempts(1));
  // First failure: random(0, 1s) -> 500 ms. Nothing happens until the clock gets there.
  const int64_t first_finished = *h.outcome(id).attempts[0].finished_at_ms;
  clock.advance(499ms);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(attempts(), 1u);
  clock.advance(1ms);
  ASSERT_TRUE(wait_for_attempts(2));
  EXPECT_EQ(h.outcome(id).attempts[1].started_at_ms, first_finished + 500);
  // Second failure: random(0, 2s) -> 1 s.
  const int64_t second_finished = *h.outcome(id).attempts[1].finished_at_ms;
  clock.advance(999ms);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(attempts(), 2u);
  clock.advance(1ms);
  ASSERT_TRUE(h.drained());
  const auto o = h.outcome(id);
  EXPECT_EQ(o.status, "applied");
  ASSERT_EQ(o.attempts.size(), 3u);
  EXPECT_EQ(o.attempts[2].started_at_ms, second_finished + 1000);
}

TEST(EngineRecovery, PersistedRetryTimesSurviveARestart) {
  ManualClock clock;
  HalfOfRange random;
  const auto dir = fresh_dir("persisted-retry");
  const std::string cfg = R"({"adapters": {"core": {"plugin": "testing", "config": {"faults":
      {"rules": [{"fault": "retryable", "times": 1}]}},
      "retry": {"base_delay": "10s", "max_delay": "10s"},
      "breaker": {"consecutive_failures": 1000}}},
      "plans": {"*": [{"adapter": "core"}]}})";
  std::string id;
  {
    Harness h(cfg, dir, nullptr, &clock, &random);
    id = h.post("acct-1");
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (h.outcome(id).attempts.empty() || !h.outcome(id).attempts[0].finished_at_ms) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline);
      std::this_thread::sleep_for(5ms);
    }
  }
  // The restarted engine must wait for the stored time (5 s away), not retry at once.
  Harness h(cfg, dir, nullptr, &clock, &random);
  h.inbound("core", R"({"control": {"faults": {}}})");  // a fresh instance: its rule counts anew
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(h.outcome(id).attempts.size(), 1u);
  clock.advance(5s);
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.outcome(id).status, "applied");
}

std::unique_ptr<mapping::MappingRegistry> example_mappings() {
  const auto root = config::config_from_json_text(
      R"({"mappings": ")" + std::string(COREGATE_SOURCE_DIR) + R"(/examples/mappings"})",
      "gw.json");
  return mapping::load_configured_mappings(root,
                                           std::filesystem::path(COREGATE_SOURCE_DIR) / "schemas");
}

std::string promise_to_pay(const std::string& amount) {
  std::ifstream in(std::string(COREGATE_SOURCE_DIR) +
                   "/examples/mappings/samples/promise_to_pay.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("\"1500.00\"");
  return text.replace(at, 9, "\"" + amount + "\"");
}

TEST(EngineMapping, TheMappedRecordIsWhatTheAdapterReceives) {
  auto mappings = example_mappings();
  const std::string cfg = R"({"adapters": {"core": {"plugin": "testing", "config": {}}},
      "plans": {"arrangement.promise_to_pay": [{"adapter": "core",
                "mapping": "promise_to_pay.arrangement_row"}]}})";
  Harness h(cfg, fresh_dir("mapping"), mappings.get());
  const std::string good =
      h.post("account:4000123456", "arrangement.promise_to_pay", promise_to_pay("1500.00"));
  const std::string bad = h.post("account:4000123456", "arrangement.promise_to_pay",
                                 promise_to_pay("12345678"));  // too big for S9(7)V99
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.outcome(good).status, "applied");
  const auto records = h.records();
  ASSERT_EQ(records.size(), 1u);
  const auto& record = records[0].at("record").as_object();
  EXPECT_EQ(record.at("ARR-ACCOUNT-NO").as_string(), "4000123456");
  EXPECT_EQ(record.at("ARR-TYPE").as_string(), "PTP");
  EXPECT_EQ(h.outcome(bad).status, "failed");
  store::ExceptionFilter filter;
  const auto exceptions = h.store().list_exceptions(filter).items;
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_EQ(exceptions[0].cause, "mapping_failed");
  EXPECT_NE(exceptions[0].last_error.find("promise_to_pay.arrangement_row"), std::string::npos)
      << exceptions[0].last_error;
  EXPECT_NE(exceptions[0].last_error.find("ARR-AMOUNT"), std::string::npos)
      << exceptions[0].last_error;
}

TEST(EngineExceptions, ReplayAfterTheFixIsAppliedAndDiscardEndsTheOutcome) {
  Harness h(R"({"adapters": {"core": {"plugin": "testing", "config": {"faults":
      {"rules": [{"fault": "rejected", "diagnostic": "no such account"}]}}}},
      "plans": {"*": [{"adapter": "core"}]}})",
            fresh_dir("replay"));
  const std::string first = h.post("acct-1");
  const std::string second = h.post("acct-2");
  ASSERT_TRUE(h.drained());
  store::ExceptionFilter filter;
  auto exceptions = h.store().list_exceptions(filter).items;
  ASSERT_EQ(exceptions.size(), 2u);
  h.inbound("core", R"({"control": {"faults": {}}})");

  auto resolve = [&](store::ResolveException r) {
    std::promise<store::EngineWriteResult> done;
    EXPECT_TRUE(h.store().record(std::move(r), [&](store::EngineWriteResult&& result) {
      done.set_value(std::move(result));
    }));
    return done.get_future().get();
  };
  store::ResolveException replay;
  replay.exception_id = exceptions[0].id;
  replay.action = "replay";
  replay.principal = "ops";
  replay.corrected_body =
      R"({"type": "account.note_added", "subject": "acct-1", "data": {"x": 1}})";
  replay.new_key = true;
  const auto replayed = resolve(replay);
  ASSERT_TRUE(replayed.ok) << replayed.error;
  h.engine().requeue(replayed.outcome_seq);
  ASSERT_TRUE(h.drained());
  EXPECT_EQ(h.outcome(first).status, "applied");
  const auto records = h.records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].at("key").as_string(), first + ":0:g1");  // corrected data, fresh key
  EXPECT_EQ(records[0].at("record").at("data").at("x").as_int64(), 1);
  EXPECT_EQ(resolve(replay).error, "not-open:replayed");

  store::ResolveException discard;
  discard.exception_id = exceptions[1].id;
  discard.action = "discard";
  discard.principal = "ops";
  discard.reason = "duplicate case";
  ASSERT_TRUE(resolve(discard).ok);
  EXPECT_EQ(h.outcome(second).status, "discarded");
  const auto shown = h.store().find_exception(exceptions[1].id);
  ASSERT_TRUE(shown);
  EXPECT_EQ(shown->status, "discarded");
  EXPECT_EQ(shown->resolution_principal, "ops");
  EXPECT_EQ(shown->resolution_reason, "duplicate case");
  store::ResolveException unknown = discard;
  unknown.exception_id = "nope";
  EXPECT_EQ(resolve(unknown).error, "not-found");
}

}  // namespace
}  // namespace coregate::engine
