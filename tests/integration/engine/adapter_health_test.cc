// What operators watch, against the real gateway: /v1/adapters (the adapter's health hook, the
// circuit breaker opening, half-opening and closing), the breaker's budget rules, and /metrics
// through `promtool check metrics`.
#include "tests/integration/engine/engine_gateway_fixture.h"

namespace coregate::testing::engine_it {
namespace {

class AdapterHealthTest : public EngineGatewayTest {};

TEST_F(AdapterHealthTest, AdaptersShowHealthAndBreaker) {
  start(
      "\"concurrency\": 2, \"timeout\": \"2s\",\n"
      "    \"retry\": {\"max_attempts\": 50, \"max_age\": \"10m\", \"base_delay\": \"20ms\", "
      "\"max_delay\": \"50ms\"},\n"
      "    \"breaker\": {\"consecutive_failures\": 3, \"open_for\": \"1500ms\", \"trial_calls\": "
      "1},\n"
      "    \"health_interval\": \"100ms\", \"health_timeout\": \"1s\"");
  TestClient client(port());
  Reply all = call(client, verb::get, "/v1/adapters", kReaderToken);
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(all.json().at("items").as_array()[0].at("name").as_string(), "core");
  EXPECT_EQ(call(client, verb::get, "/v1/adapters", nullptr).status, 401);
  EXPECT_EQ(call(client, verb::get, "/healthz", nullptr).status, 200);
  EXPECT_EQ(call(client, verb::get, "/readyz", nullptr).status, 200);
  EXPECT_EQ(call(client, verb::get, "/v1/adapters/nope", kReaderToken).status, 404);
  ASSERT_TRUE(eventually([&] {
    auto core = adapter_core();
    return core.at("state") == "healthy" && core.at("health").at("state") == "healthy" &&
           !core.at("health").at("checked_at").is_null();
  })) << adapter_core();
  EXPECT_EQ(adapter_core().at("plugin").as_string(), "testing");
  EXPECT_EQ(adapter_core().at("breaker").at("state").as_string(), "closed");

  // The adapter's health hook says unhealthy: the next periodic check shows it, with the reason.
  write_control(control_file(),
                json::object{{"health", "unhealthy"}, {"health_detail", "maintenance window"}});
  ASSERT_TRUE(eventually([&] { return adapter_core().at("state") == "unhealthy"; }))
      << adapter_core();
  auto unhealthy = adapter_core();
  EXPECT_EQ(unhealthy.at("health").at("state").as_string(), "unhealthy");
  EXPECT_EQ(unhealthy.at("health").at("detail").as_string(), "maintenance window");
  EXPECT_NE(json::serialize(unhealthy.at("reasons")).find("maintenance window"), std::string::npos)
      << unhealthy;
  write_control(control_file(), json::object{{"health", "degraded"}, {"health_detail", "slow"}});
  ASSERT_TRUE(eventually([&] { return adapter_core().at("state") == "degraded"; }))
      << adapter_core();
  write_control(control_file(), {});
  ASSERT_TRUE(eventually([&] { return adapter_core().at("state") == "healthy"; }))
      << adapter_core();

  // Every write fails: three consecutive failures open the breaker; steps wait without burning
  // attempts, /v1/adapters and coregate_breaker_state say so.
  write_control(
      control_file(),
      json::object{{"faults", json::object{{"write", json::object{{"retryable", 1.0}}}}}});
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i)
    ids.push_back(post("breaker-" + std::to_string(i), "breaker-subject-" + std::to_string(i)));
  ASSERT_TRUE(eventually([&] { return adapter_core().at("breaker").at("state") == "open"; }))
      << adapter_core();
  auto open = adapter_core();
  EXPECT_EQ(open.at("state").as_string(), "unhealthy");
  EXPECT_NE(json::serialize(open.at("reasons")).find("circuit breaker open"), std::string::npos)
      << open;
  EXPECT_TRUE(open.at("breaker").as_object().contains("reopens_at")) << open;
  // Every posted step waits for the adapter (a step whose result is being committed is briefly
  // not counted, hence eventually).
  EXPECT_TRUE(eventually([&] { return adapter_core().at("queue_depth") == 4; })) << adapter_core();
  EXPECT_FALSE(open.at("last_error").is_null());
  std::cout << "last_error while the breaker is open: " << open.at("last_error") << std::endl;
  EXPECT_EQ(metric_value(metrics_text(port()), "coregate_breaker_state{adapter=\"core\"}"), 2.0);

  // The target recovers: after open_for a trial call succeeds, the breaker closes, all applied.
  write_control(control_file(), {});
  ASSERT_TRUE(eventually([&] { return adapter_core().at("breaker").at("state") == "closed"; },
                         std::chrono::seconds(10)))
      << adapter_core();
  for (const auto& id : ids) await_status(id, "applied");
  EXPECT_EQ(metric_value(metrics_text(port()), "coregate_breaker_state{adapter=\"core\"}"), 0.0);
  auto closed = adapter_core();
  EXPECT_EQ(closed.at("queue_depth").as_int64(), 0) << closed;
  EXPECT_GE(closed.at("counts").at("retries").as_int64(), 3) << closed;
  EXPECT_EQ(closed.at("counts").at("applied").as_int64(), 4) << closed;
}

// DESIGN §4 / circuit_breaker.h: "open --(open_for elapsed)--> half_open (allow up to
// trial_calls calls)". Every time the breaker opens, a trial call must follow once open_for has
// passed, however the lane's wake-up timer lines up with the breaker's reopening time. Twenty
// open/half-open/close cycles, each with one waiting outcome and nothing else to wake the lane.
TEST_F(AdapterHealthTest, BreakerAlwaysSendsATrialAfterOpenFor) {
  start(
      "\"concurrency\": 1, \"timeout\": \"2s\",\n"
      "    \"retry\": {\"max_attempts\": 1000, \"base_delay\": \"20ms\", \"max_delay\": "
      "\"20ms\"},\n"
      "    \"breaker\": {\"consecutive_failures\": 1, \"open_for\": \"100ms\", "
      "\"trial_calls\": 1}");
  const json::object failing{{"faults", json::object{{"write", json::object{{"retryable", 1.0}}}}}};
  int stuck = 0;
  for (int cycle = 0; cycle < 20; ++cycle) {
    write_control(control_file(), failing);
    const std::string id = post("trial-" + std::to_string(cycle), "trial-" + std::to_string(cycle));
    ASSERT_TRUE(eventually([&] { return adapter_core().at("counts").at("retries") != 0; }));
    ASSERT_TRUE(eventually([&] { return adapter_core().at("breaker").at("state") != "closed"; }));
    write_control(control_file(), {});
    std::string last;
    const bool applied = eventually(
        [&] {
          last = outcome_status(port(), id);
          return last == "applied";
        },
        std::chrono::seconds(3));
    if (!applied) {
      ++stuck;
      ADD_FAILURE() << "cycle " << cycle << ": outcome " << id << " still " << last
                    << " 3 s after the target recovered (open_for 100 ms); adapter: "
                    << adapter_core();
      // Wake the lane with another outcome so the next cycle starts clean.
      post("trial-wake-" + std::to_string(cycle), "trial-wake-" + std::to_string(cycle));
      await_status(id, "applied");
    }
  }
  EXPECT_EQ(stuck, 0) << "cycles in which no trial call followed open_for";
}

// DESIGN §4: while the breaker is open "steps wait without burning attempts". A step claimed
// just before the breaker opened is given back unsent ("released"); that must not count against
// its retry budget, neither in this run nor after a restart that rebuilds the budget from the
// store.
TEST_F(AdapterHealthTest, BreakerReleasesDoNotBurnTheBudgetAcrossARestart) {
  auto keys = [](const std::string& open_for) {
    return "\"concurrency\": 1, \"timeout\": \"2s\",\n"
           "    \"retry\": {\"max_attempts\": 2, \"max_age\": \"10m\", \"base_delay\": "
           "\"20ms\", \"max_delay\": \"20ms\"},\n"
           "    \"breaker\": {\"consecutive_failures\": 1, \"open_for\": \"" +
           open_for + "\", \"trial_calls\": 1}";
  };
  // Every write fails after 150 ms, so the second outcome is claimed (one worker, a claim window
  // of two) while the first one's write is still running, and finds the breaker open afterwards.
  start(keys("30s"),
        json::object{{"latency_ms", 150},
                     {"faults", json::object{{"write", json::object{{"retryable", 1.0}}}}}});
  const std::string first = post("release-a", "release-subject-a");
  const std::string second = post("release-b", "release-subject-b");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  ASSERT_EQ(adapter_core().at("breaker").at("state"), "open") << adapter_core();

  kill_and_restart(keys("300ms"));
  await_status(first, "failed", std::chrono::seconds(15));
  await_status(second, "failed", std::chrono::seconds(15));
  for (const auto& id : {first, second}) {
    auto listed = exceptions_for(id);
    ASSERT_EQ(listed.size(), 1u) << id;
    EXPECT_EQ(listed[0].at("cause").as_string(), "retries_exhausted");
    TestClient op(port());
    auto detail =
        call(op, verb::get, "/v1/exceptions/" + std::string(listed[0].at("id").as_string()),
             kOperatorToken)
            .json()
            .as_object();
    int sent = 0;
    std::string classes;
    for (const auto& a : detail.at("attempts").as_array()) {
      const auto& c = a.at("classification");
      classes += (c.is_string() ? std::string(c.as_string()) : std::string("null")) + " ";
      if (c.is_string() && c.as_string() != "released") ++sent;
    }
    EXPECT_EQ(sent, 2) << "outcome " << id << " (" << (id == first ? "first" : "second")
                       << ") failed as retries_exhausted with max_attempts 2 after " << sent
                       << " write(s) reached the target; attempts: " << classes;
  }
}

TEST_F(AdapterHealthTest, MetricsPassPromtool) {
  const std::string promtool = find_program("promtool");
  if (promtool.empty()) GTEST_SKIP() << "promtool (Debian package prometheus) is not installed";
  json::object control = reject_subject("poison", "422 refused");
  control["faults"].as_object()["write"] = json::object{{"retryable", 0.3}};
  start(kFastEngine, control);
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i)
    ids.push_back(post("metrics-" + std::to_string(i), "acct-" + std::to_string(i % 7)));
  const std::string poison = post("metrics-poison", "poison-1");
  for (const auto& id : ids) await_status(id, "applied");
  await_status(poison, "failed");

  const std::string text = metrics_text(port());
  EXPECT_GT(metric_value(text, "coregate_writeback_retries_total{adapter=\"core\"}").value_or(0), 0)
      << text;
  EXPECT_EQ(metric_value(text, "coregate_exceptions_total{adapter=\"core\",cause=\"rejected\"}"),
            1.0)
      << text;
  EXPECT_EQ(
      metric_value(text, "coregate_outcomes_accepted_total{type=\"arrangement.promise_to_pay\"}"),
      41.0)
      << text;
  EXPECT_EQ(
      metric_value(text, "coregate_writeback_attempts_total{adapter=\"core\",class=\"applied\"}"),
      40.0)
      << text;
  EXPECT_EQ(metric_value(text, "coregate_unfinished_outcomes"), 0.0) << text;
  EXPECT_NE(text.find("coregate_writeback_duration_seconds_bucket{adapter=\"core\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(text.find("coregate_writeback_success_ratio{adapter=\"core\"}"), std::string::npos);

  const auto file = dir_ / "metrics.txt";
  std::ofstream(file) << text;
  ProcessResult checked =
      run_process({"/bin/sh", "-c", "\"$0\" check metrics < \"$1\"", promtool, file.string()},
                  std::chrono::seconds(30));
  EXPECT_TRUE(checked.exited && checked.exit_code == 0) << "promtool check metrics failed:\n"
                                                        << checked.out << checked.err;
  std::cout << "promtool check metrics: exit " << checked.exit_code << ", "
            << std::count(text.begin(), text.end(), '\n') << " lines checked" << std::endl;

  // promtool can fail: a broken exposition is refused (so the check above means something).
  std::ofstream(dir_ / "broken.txt") << "# TYPE x counter\nx{a=\"1\" 3\n";
  ProcessResult broken = run_process(
      {"/bin/sh", "-c", "\"$0\" check metrics < \"$1\"", promtool, (dir_ / "broken.txt").string()},
      std::chrono::seconds(30));
  EXPECT_NE(broken.exit_code, 0) << broken.out << broken.err;
}

}  // namespace
}  // namespace coregate::testing::engine_it
