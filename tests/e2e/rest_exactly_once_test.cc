// Issue #7's acceptance at gateway level: outcomes posted to the real `coregate serve` reach a
// REST target through the rest adapter EXACTLY once in effect, while the target answers some
// writes only after the adapter's read timeout (it applied them first: the adapter reports
// AMBIGUOUS and the engine must probe, or retry with the same key) and the gateway is SIGKILLed
// at random moments (>= 10 times).
//
// The target (tests/peers/rest/idempotent_target.js) applies each Idempotency-Key once and counts
// applies and requests per key (/_stats). The engine's key is "<outcome id>:<step>", so a doubled
// write shows up as a second key for one outcome (or a key for an outcome no client was given),
// and a resend with a changed body as a 422 (REJECTED, the exception queue).
//
// COREGATE_E2E_REST_OUTCOMES (default 3000), COREGATE_E2E_KILLS (default 10),
// COREGATE_E2E_REST_DELAY_EVERY (default 10: every 10th new key answered late), COREGATE_E2E_SEED.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "tests/e2e/crash_loop.h"
#include "tests/e2e/e2e_gateway.h"
#include "tests/e2e/e2e_outcomes.h"
#include "tests/e2e/gateway_api.h"
#include "tests/e2e/outcome_campaign.h"
#include "tests/integration/intake/test_client.h"
#include "tests/support/child_process.h"

namespace coregate::testing::e2e {
namespace {

namespace fs = std::filesystem;

constexpr char kToken[] = "e2e-rest-token-0123456789";
constexpr int kReadTimeoutMs = 250;  // the adapter's; the target's late answers come after it
constexpr int kLateAnswerMs = 1000;

// The key-honouring target on a free port, killed when the test ends.
class IdempotentTarget {
 public:
  IdempotentTarget(const fs::path& dir, int delay_every) {
    const std::string peers = std::string(COREGATE_SOURCE_DIR) + "/tests/peers";
    const fs::path port_file = dir / "target.port";
    process_ = std::make_unique<BackgroundProcess>(
        std::vector<std::string>{"/usr/bin/node", peers + "/rest/idempotent_target.js",
                                 "--port-file", port_file.string(), "--delay-every",
                                 std::to_string(delay_every), "--delay-ms",
                                 std::to_string(kLateAnswerMs)},
        dir / "target.log",
        std::map<std::string, std::string>{{"NODE_PATH", peers + "/node_modules"}});
    const auto port = wait_for_port_file(port_file, std::chrono::seconds(20));
    if (!port) throw std::runtime_error("idempotent_target.js did not start");
    port_ = static_cast<uint16_t>(*port);
  }
  uint16_t port() const { return port_; }

  boost::json::object stats() const {
    TestClient client(port_);
    Reply reply = client.request(boost::beast::http::verb::get, "/_stats");
    if (reply.status != 200) throw std::runtime_error("GET /_stats: " + reply.body);
    return reply.json().as_object();
  }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  uint16_t port_ = 0;
};

// `with_probe`: the operation names the target's /_lookup as its probe, so an AMBIGUOUS write is
// settled by asking; without it the engine retries the write with the same key (dedups_by_key).
std::string gateway_config(const fs::path& dir, uint16_t target_port, bool with_probe) {
  return R"json({
  "listen": "127.0.0.1:0",
  "log": {"level": "info"},
  "store": {"path": ")json" +
         (dir / "store.db").string() + R"json("},
  "auth": {"tokens": [{"name": "workflow", "token_env": "COREGATE_TOKEN",
             "scopes": ["outcomes:write", "outcomes:read", "exceptions:manage"]}]},
  "adapters": {
    "crm": {
      "plugin": "rest",
      "concurrency": 8,
      "timeout": "5s",
      "dedups_by_key": true,
      "on_ambiguous": "retry",
      "retry": {"max_attempts": 200, "max_age": "10m", "base_delay": "50ms", "max_delay": "1s"},
      "breaker": {"consecutive_failures": 20, "open_for": "300ms"},
      "config": {
        "base_url": "http://127.0.0.1:)json" +
         std::to_string(target_port) + R"json(",
        "concurrency": 8,
        "connect_timeout_ms": 1000,
        "read_timeout_ms": )json" +
         std::to_string(kReadTimeoutMs) + R"json(,
        "operations": {
          "arrangement.promise_to_pay": {
            "method": "POST", "path": "/arrangements",
            "reference": {"json_pointer": "/id"})json" +
         std::string(with_probe ? R"json(,
            "probe": {"path": "/_lookup", "query": {"key": "{idempotency_key}"}})json"
                                : "") +
         R"json(
          }
        }
      }
    }
  },
  "plans": {"arrangement.promise_to_pay": [{"adapter": "crm"}]}
}
)json";
}

void run_scenario(bool with_probe) {
  const std::string tag = with_probe ? "[e2e rest probe]" : "[e2e rest retry]";
  const int total = env_int("COREGATE_E2E_REST_OUTCOMES", 3000);
  const int min_kills = env_int("COREGATE_E2E_KILLS", 10);
  const int delay_every = env_int("COREGATE_E2E_REST_DELAY_EVERY", 10);
  const auto seed = static_cast<uint32_t>(
      env_int("COREGATE_E2E_SEED", static_cast<int>(std::random_device{}() & 0x7fffffff)));
  std::cout << tag << " outcomes " << total << ", kills >= " << min_kills << ", every "
            << delay_every << "th new key answered " << kLateAnswerMs << " ms late (read timeout "
            << kReadTimeoutMs << " ms), seed " << seed << std::endl;
  const auto began = std::chrono::steady_clock::now();

  const TestDir test_dir("rest");
  const auto& dir = test_dir.path();
  IdempotentTarget target(dir, delay_every);
  E2eGateway gateway(dir, gateway_config(dir, target.port(), with_probe), kToken);
  gateway.start();

  const std::string run = "r" + std::to_string(seed % 100000);
  auto client_ref = [&](int i) { return run + "-" + std::to_string(i); };
  CampaignOptions options;
  options.total = total;
  options.threads = 8;
  options.token = kToken;
  options.key_of = client_ref;
  options.body_of = [&](int i) { return promise_body(i, client_ref(i)); };
  options.port = [&] { return gateway.port(); };
  options.deadline = std::chrono::minutes(2);
  OutcomeCampaign campaign(options);
  campaign.start();

  CrashLoopOptions crash;
  crash.kills = min_kills;
  crash.seed = seed;
  const auto crashes = run_crash_loop(
      gateway, crash, [&] { return static_cast<double>(campaign.answered()) / total; });
  campaign.wait();
  std::string kill_points;
  for (const double p : crashes.at_progress) {
    kill_points +=
        (kill_points.empty() ? "" : " ") + std::to_string(static_cast<int>(p * 100)) + "%";
  }
  const auto posted_in = std::chrono::steady_clock::now() - began;
  ASSERT_TRUE(gateway.wait_drained(std::chrono::minutes(2)))
      << "outcomes still accepted/in_flight 2 minutes after the last restart\n"
      << gateway.log_tail();
  const auto drained_in = std::chrono::steady_clock::now() - began;

  // Every client request got a 202 naming its own outcome.
  std::map<std::string, std::string> ref_by_id;
  std::vector<std::string> ids;
  for (int i = 0; i < total; ++i) {
    const auto& r = campaign.records()[static_cast<size_t>(i)];
    ASSERT_EQ(r.final_status, 202)
        << client_ref(i) << " after " << r.sends << " sends: " << r.detail;
    ASSERT_TRUE(ref_by_id.emplace(r.outcome_id, client_ref(i)).second)
        << "two client requests got the same outcome id " << r.outcome_id;
    ids.push_back(r.outcome_id);
  }

  // The gateway's view: exactly these outcomes, all applied.
  std::set<std::string> applied, failed;
  for (const auto& o : list_outcomes(gateway.port(), kToken)) {
    const std::string id(o.at("id").as_string());
    ASSERT_TRUE(ref_by_id.count(id)) << "the gateway holds an outcome no 202 named: " << id;
    const std::string status(o.at("status").as_string());
    if (status == "applied") {
      applied.insert(id);
    } else {
      ASSERT_EQ(status, "failed") << id;
      failed.insert(id);
    }
  }
  ASSERT_EQ(applied.size() + failed.size(), static_cast<size_t>(total));
  std::map<std::string, std::string> reason_by_outcome;
  for (const auto& e : list_exceptions(gateway.port(), kToken)) {
    reason_by_outcome[std::string(e.at("outcome_id").as_string())] =
        std::string(e.at("cause").as_string()) + ": " + std::string(e.at("last_error").as_string());
  }
  for (const auto& id : failed) {
    EXPECT_TRUE(reason_by_outcome.count(id)) << "failed outcome " << id << " has no exception";
  }
  for (const auto& [id, reason] : reason_by_outcome) {
    std::cout << tag << " exception for " << id << ": " << reason << std::endl;
  }
  EXPECT_TRUE(failed.empty()) << failed.size() << " outcomes failed (reasons above)";

  // The target's view: one applied key per applied outcome, "<outcome id>:0", applied once.
  const auto stats = target.stats();
  const auto& keys = stats.at("keys").as_object();
  const auto& requests_per_key = stats.at("requests_per_key").as_object();
  std::set<std::string> applied_at_target;
  int keys_sent_more_than_once = 0;
  for (const auto& [key, applies] : keys) {
    const std::string k(key);
    const auto colon = k.find(':');
    const std::string outcome_id = k.substr(0, colon);
    EXPECT_EQ(k, outcome_id + ":0") << "a key of another shape: " << k;
    EXPECT_TRUE(ref_by_id.count(outcome_id)) << "applied for an outcome no client posted: " << k;
    EXPECT_EQ(applies.as_int64(), 1) << k;
    EXPECT_TRUE(applied_at_target.insert(outcome_id).second) << "outcome applied twice: " << k;
    if (const auto* n = requests_per_key.if_contains(key); n != nullptr && n->as_int64() > 1)
      ++keys_sent_more_than_once;
  }
  for (const auto& id : applied) {
    EXPECT_TRUE(applied_at_target.count(id))
        << "applied outcome " << id << " never reached the target";
  }
  for (const auto& id : failed) {
    EXPECT_FALSE(applied_at_target.count(id)) << "failed outcome " << id << " did land";
  }
  EXPECT_EQ(stats.at("applied").as_int64(), static_cast<int64_t>(applied.size()));

  const AttemptTally tally = tally_attempts(outcome_details(gateway.port(), kToken, ids));
  gateway.stop();

  const auto& f = campaign.figures();
  const auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::cout << tag << " posted " << total << " outcomes from " << options.threads
            << " clients: 202 for " << f.accepted << " (" << f.replayed
            << " of them replayed answers), " << f.resent_after_loss
            << " resends after a lost answer, " << f.conflicts << " x 409, " << f.busy
            << " x 429/503\n"
            << tag << " applied " << applied.size() << ", failed " << failed.size()
            << ", exceptions " << reason_by_outcome.size()
            << "; target: " << stats.at("applied").as_int64() << " keys applied, "
            << stats.at("requests").as_int64() << " write requests, " << keys_sent_more_than_once
            << " keys sent more than once (same key every time)\n"
            << tag << " gateway SIGKILLed " << crashes.kills << " times (at " << kill_points
            << " of the posts)\n"
            << tag << " " << describe(tally) << "\n"
            << tag << " posting done in " << seconds(posted_in) << " s, drained in "
            << seconds(drained_in) << " s" << std::endl;
  ::testing::Test::RecordProperty("outcomes", total);
  ::testing::Test::RecordProperty("applied", static_cast<int>(applied.size()));
  ::testing::Test::RecordProperty("kills", crashes.kills);
  EXPECT_GE(crashes.kills, min_kills);
  // The fault was really injected: late answers made writes AMBIGUOUS; without a probe the engine
  // sent those keys again (and the target answered them from its key store).
  EXPECT_GT(
      tally.by_classification.count("ambiguous") ? tally.by_classification.at("ambiguous") : 0, 0)
      << "no write was ambiguous: the injected timeouts did not happen";
  if (!with_probe) {
    EXPECT_GT(keys_sent_more_than_once, 0) << "no write was retried with its key";
  }
}

// AMBIGUOUS (and in doubt after a kill) → the engine probes GET /_lookup?key=<key>.
TEST(RestExactlyOnceTest, EveryAcceptedOutcomeAppliedOnceThroughTimeoutsAndKillsWithProbe) {
  if (!fs::exists("/usr/bin/node")) GTEST_SKIP() << "node not installed";
  run_scenario(true);
}

// No probe: AMBIGUOUS (and in doubt) → on_ambiguous "retry" resends with the same key, which the
// target (dedups_by_key) answers from its store instead of applying again.
TEST(RestExactlyOnceTest, EveryAcceptedOutcomeAppliedOnceThroughTimeoutsAndKillsByKeyRetry) {
  if (!fs::exists("/usr/bin/node")) GTEST_SKIP() << "node not installed";
  run_scenario(false);
}

}  // namespace
}  // namespace coregate::testing::e2e
