// Delivery against the real binary: pull with consumer groups, acks and redelivery; SSE with
// Last-Event-ID resume and heartbeats; signed webhooks to a node receiver that verifies
// signatures and CloudEvents independently and injects 500s and timeouts; and the npm
// cloudevents SDK parsing what the gateway emits.
#include <signal.h>
#include <sys/wait.h>

#include <map>

#include "tests/integration/triggers/triggers_fixture.h"
#include "tests/support/child_process.h"

namespace coregate::testing {
namespace {

using boost::beast::http::verb;
namespace fs = std::filesystem;

class TriggerDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sqlite_odbc_available()) GTEST_SKIP() << "SQLite3 ODBC driver not installed";
  }
  void TearDown() override { remove_temp_dirs(!HasFailure()); }
  // A gateway that has ingested rows 1..rows.
  std::unique_ptr<GatewayProcess> ingested(const fs::path& dir, int rows,
                                           const TriggerConfigOptions& options = {}) {
    add_debit_returns(dir / "core.db", 1, rows);
    auto gateway = std::make_unique<GatewayProcess>(dir, trigger_config(dir, options));
    gateway->start();
    const int expected = good_rows(1, rows);
    EXPECT_EQ(
        wait_for_count([&] { return logged_triggers(dir); }, expected, std::chrono::seconds(30)),
        expected)
        << gateway->log_text();
    return gateway;
  }
};

TEST_F(TriggerDeliveryTest, PullWithTwoGroupsAckAndRedeliveryAfterTheVisibilityTimeout) {
  const auto dir = trigger_temp_dir("pull");
  TriggerConfigOptions options;
  options.visibility_timeout = "1500ms";
  auto gateway = ingested(dir, 40, options);
  TestClient client(gateway->port());

  auto a1 = ids_of(pull(client, "billing", 5));
  ASSERT_EQ(a1.size(), 5u);
  auto b1 = ids_of(pull(client, "compliance", 3));
  EXPECT_EQ(b1, std::vector<std::string>(a1.begin(), a1.begin() + 3)) << "groups are independent";
  auto a2 = ids_of(pull(client, "billing", 5));
  ASSERT_EQ(a2.size(), 5u);
  EXPECT_NE(a2[0], a1[0]) << "leased events are not handed out twice within the timeout";

  auto reply = ack(client, "billing",
                   {a1[0], a1[2], a1[3], a1[4], a2[0], a2[1], a2[2], a2[3], a2[4], "not-an-event"});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json().at("acknowledged"), 9);
  EXPECT_EQ(reply.json().at("not_pending").as_array().size(), 1u);

  std::this_thread::sleep_for(std::chrono::milliseconds(1700));
  auto a3 = ids_of(pull(client, "billing", 3));
  ASSERT_EQ(a3.size(), 3u);
  EXPECT_EQ(a3[0], a1[1]) << "the one unacknowledged event comes back first";
  // compliance never acked: all three return, then new ones.
  auto b2 = ids_of(pull(client, "compliance", 4));
  EXPECT_EQ(std::vector<std::string>(b2.begin(), b2.begin() + 3), b1);

  // Acknowledged events never return, even after a restart; the unacknowledged one does.
  ASSERT_EQ(ack(client, "billing", {a3[1], a3[2]}).status, 200);
  client.close();
  gateway->kill(SIGTERM);
  gateway->start();
  TestClient again(gateway->port());
  auto after_restart = ids_of(pull(again, "billing", 100));
  ASSERT_FALSE(after_restart.empty());
  EXPECT_EQ(after_restart[0], a1[1]);
  std::set<std::string> acked(a1.begin(), a1.end());
  acked.insert(a2.begin(), a2.end());
  acked.insert(a3[1]);
  acked.insert(a3[2]);
  acked.erase(a1[1]);
  for (const auto& id : after_restart) EXPECT_EQ(acked.count(id), 0u) << id;
  EXPECT_EQ(after_restart.size() + acked.size(), static_cast<size_t>(good_rows(1, 40)));
}

TEST_F(TriggerDeliveryTest, PullRefusesBadRequests) {
  const auto dir = trigger_temp_dir("pull-bad");
  auto gateway = ingested(dir, 5);
  TestClient client(gateway->port());
  auto get = [&](const std::string& target, const char* token) {
    return client.request(verb::get, target, "",
                          token ? bearer(token) : std::map<std::string, std::string>{});
  };
  EXPECT_EQ(get("/v1/consumers/g/triggers", nullptr).status, 401);
  EXPECT_EQ(get("/v1/consumers/g/triggers", kOutcomeWriterToken).status, 403);
  for (const char* limit : {"0", "-1", "abc", "5001", "1.5"}) {
    auto reply = get(std::string("/v1/consumers/g/triggers?limit=") + limit, kTriggerReaderToken);
    EXPECT_EQ(reply.status, 400) << limit;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  }
  EXPECT_EQ(get("/v1/consumers/-bad/triggers", kTriggerReaderToken).status, 400);
  EXPECT_EQ(get("/v1/consumers/" + std::string(70, 'g') + "/triggers", kTriggerReaderToken).status,
            400);
  for (const char* body : {"", "{", "[]", "{\"ids\":[]}", "{\"ids\":[1]}", "{\"ids\":\"x\"}"}) {
    auto reply = client.request(verb::post, "/v1/consumers/g/ack", body,
                                {{"Authorization", std::string("Bearer ") + kTriggerReaderToken}});
    EXPECT_EQ(reply.status, 400) << body;
  }
  auto ok = get("/v1/consumers/g/triggers?limit=2", kTriggerReaderToken);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.header("content-type"), "application/cloudevents-batch+json");
}

TEST_F(TriggerDeliveryTest, SseResumingWithLastEventIdGetsExactlyTheMissedEvents) {
  const auto dir = trigger_temp_dir("sse");
  TriggerConfigOptions options;
  options.heartbeat = "300ms";
  auto gateway = ingested(dir, 30, options);
  const int first = good_rows(1, 30);
  auto auth = bearer(kTriggerReaderToken);

  // Live: sees the next rows as they are polled.
  SseClient live(gateway->port(), auth);
  live.read_until([](const std::string& t) { return t.find("retry:") != std::string::npos; },
                  std::chrono::seconds(5));
  add_debit_returns(dir / "core.db", 31, 40);
  const size_t second = static_cast<size_t>(good_rows(31, 40));
  live.read_until([&](const std::string&) { return live.events().size() >= second; },
                  std::chrono::seconds(10));
  auto seen = live.events();
  ASSERT_EQ(seen.size(), second) << live.text();
  EXPECT_EQ(std::stoll(seen.front().id), first + 1);
  EXPECT_EQ(seen.front().type, "coregate.trigger.payment.failed");
  live.close();

  // The client was away for rows 41..60; it resumes from the last id it saw.
  add_debit_returns(dir / "core.db", 41, 60);
  const int total = good_rows(1, 60);
  ASSERT_EQ(wait_for_count([&] { return logged_triggers(dir); }, total, std::chrono::seconds(20)),
            total);
  auto resume = auth;
  resume["Last-Event-ID"] = seen.back().id;
  SseClient resumed(gateway->port(), resume);
  const size_t missed = static_cast<size_t>(good_rows(41, 60));
  resumed.read_until([&](const std::string&) { return resumed.events().size() >= missed; },
                     std::chrono::seconds(10));
  // Then a quiet stream: nothing more than the missed events, and heartbeats.
  resumed.read_until(
      [](const std::string& t) { return t.find(": heartbeat") != std::string::npos; },
      std::chrono::seconds(5));
  auto got = resumed.events();
  ASSERT_EQ(got.size(), missed) << resumed.text();
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(std::stoll(got[i].id), std::stoll(seen.back().id) + 1 + static_cast<int64_t>(i));
  }
  EXPECT_NE(resumed.text().find(": heartbeat"), std::string::npos);

  // The emitted SSE events parse with the npm cloudevents SDK.
  if (node_peers_available()) {
    std::ofstream(dir / "sse.txt") << resumed.text().substr(resumed.text().find("\r\n\r\n") + 4);
    auto check = run_process(
        {node_binary(),
         std::string(COREGATE_SOURCE_DIR) + "/tests/peers/triggers/cloudevents_check.mjs", "sse",
         (dir / "sse.txt").string()},
        std::chrono::seconds(60));
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("\"events\":" + std::to_string(missed)), std::string::npos)
        << check.out;
  }

  // Bad resume positions and missing auth are refused before streaming.
  {
    TestClient client(gateway->port());
    EXPECT_EQ(client.request(verb::get, "/v1/triggers/stream", "", {}).status, 401);
    auto bad = auth;
    bad["Last-Event-ID"] = "not-a-number";
    EXPECT_EQ(client.request(verb::get, "/v1/triggers/stream", "", bad).status, 400);
  }

  // An open stream never holds up a graceful stop: the gateway ends it and exits at once.
  const auto stop_started = std::chrono::steady_clock::now();
  const int status = gateway->kill(SIGTERM);
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(5));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << gateway->log_text();
  resumed.read_until([](const std::string&) { return false; }, std::chrono::seconds(2));
  EXPECT_TRUE(resumed.closed()) << "the client sees the end of the stream";
}

TEST_F(TriggerDeliveryTest, PulledEventsParseWithTheCloudEventsSdk) {
  if (!node_peers_available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
  const auto dir = trigger_temp_dir("sdk");
  auto gateway = ingested(dir, 60);
  TestClient client(gateway->port());
  auto reply = client.request(verb::get, "/v1/consumers/sdk/triggers?limit=1000", "",
                              bearer(kTriggerReaderToken));
  ASSERT_EQ(reply.status, 200);
  std::ofstream(dir / "batch.json") << reply.body;
  auto check =
      run_process({node_binary(),
                   std::string(COREGATE_SOURCE_DIR) + "/tests/peers/triggers/cloudevents_check.mjs",
                   "batch", (dir / "batch.json").string()},
                  std::chrono::seconds(60));
  ASSERT_EQ(check.exit_code, 0) << check.err;
  const auto parsed = boost::json::parse(check.out);
  EXPECT_EQ(parsed.at("events"), good_rows(1, 60));
  EXPECT_EQ(parsed.at("ids").as_array()[0], pull(client, "other", 1)[0].at("id"));
}

// The receiver under tests/peers/triggers, started on port 0.
class Receiver {
 public:
  Receiver(const fs::path& dir, std::vector<std::string> extra) : dir_(dir) {
    std::vector<std::string> argv{
        node_binary(),
        std::string(COREGATE_SOURCE_DIR) + "/tests/peers/triggers/webhook_receiver.mjs",
        "--port-file",
        (dir / "receiver.port").string(),
        "--record",
        (dir / "received.jsonl").string(),
        "--secret",
        kHookSecret};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<BackgroundProcess>(argv, dir / "receiver.log");
    auto port = wait_for_port_file(dir / "receiver.port", std::chrono::seconds(20));
    if (!port) throw std::runtime_error("receiver did not start");
    port_ = static_cast<uint16_t>(*port);
  }
  uint16_t port() const { return port_; }
  std::vector<boost::json::object> received() const {
    std::vector<boost::json::object> out;
    std::ifstream in(dir_ / "received.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(boost::json::parse(line).as_object());
    }
    return out;
  }
  boost::json::object stats() {
    TestClient client(port_);
    return client.request(verb::get, "/stats").json().as_object();
  }
  void always_fail(const std::string& subject) {
    TestClient client(port_);
    client.request(verb::post, "/control",
                   subject.empty() ? "{\"always_fail_subject\":null}"
                                   : "{\"always_fail_subject\":\"" + subject + "\"}");
  }

 private:
  fs::path dir_;
  std::unique_ptr<BackgroundProcess> process_;
  uint16_t port_ = 0;
};

std::string subscription(uint16_t port, const std::string& extra = "") {
  return "{\"workflow\": {\"url\": \"http://127.0.0.1:" + std::to_string(port) +
         "/hooks/coregate\", \"secret\": \"" + kHookSecret +
         "\", \"types\": [\"coregate.trigger.payment.failed\"], \"timeout\": \"700ms\", "
         "\"concurrency\": 4" +
         extra + "}}";
}

TEST_F(TriggerDeliveryTest, WebhooksArriveOnceInOrderPerSubjectDespite500sAndTimeouts) {
  if (!node_peers_available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
  const auto dir = trigger_temp_dir("webhook");
  Receiver receiver(dir, {"--fail-every", "5", "--hang-every", "23", "--hang-ms", "1500"});
  TriggerConfigOptions options;
  options.subscriptions_json = subscription(
      receiver.port(),
      ", \"retry\": {\"max_attempts\": 8, \"base_delay\": \"20ms\", \"max_delay\": \"200ms\"}");
  constexpr int kRows = 400;
  auto gateway = ingested(dir, kRows, options);
  const int expected = good_rows(1, kRows);
  ASSERT_EQ(wait_for_count([&] { return static_cast<int64_t>(receiver.received().size()); },
                           expected, std::chrono::seconds(60)),
            expected)
      << gateway->log_text();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // nothing more may arrive
  const auto received = receiver.received();
  ASSERT_EQ(static_cast<int>(received.size()), expected);
  std::set<std::string> ids;
  std::map<std::string, std::vector<int>> by_subject;
  for (const auto& event : received) {
    EXPECT_TRUE(ids.insert(std::string(event.at("id").as_string())).second)
        << "delivered twice: " << event.at("id");
    const std::string reference(event.at("reference").as_string());
    by_subject[std::string(event.at("subject").as_string())].push_back(
        std::stoi(reference.substr(3)));
  }
  EXPECT_EQ(by_subject.size(), 13u);
  for (const auto& [subject, order] : by_subject) {
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end()))
        << "subject " << subject << " out of order";
  }
  auto stats = receiver.stats();
  EXPECT_EQ(stats.at("bad_signature"), 0);
  EXPECT_EQ(stats.at("bad_event"), 0);
  EXPECT_GT(stats.at("injected_500").as_int64(), 50);
  EXPECT_GT(stats.at("injected_hang").as_int64(), 5);
  // Prometheus counts the deliveries and the retried attempts.
  TestClient scrape(gateway->port());
  const auto metrics = scrape.request(verb::get, "/metrics").body;
  EXPECT_NE(
      metrics.find(
          "coregate_webhook_deliveries_total{subscription=\"workflow\",result=\"delivered\"} " +
          std::to_string(expected)),
      std::string::npos)
      << metrics;
  // No dead letters: the budget covered every injected failure.
  TestClient client(gateway->port());
  auto letters = client.request(verb::get, "/v1/triggers/dead-letters", "", bearer(kAdminToken));
  ASSERT_EQ(letters.status, 200);
  EXPECT_TRUE(letters.json().at("items").as_array().empty()) << letters.body;
}

TEST_F(TriggerDeliveryTest, AnUnreachableSubscriberNeverDelaysAnother) {
  if (!node_peers_available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
  const auto dir = trigger_temp_dir("two-subscribers");
  Receiver receiver(dir, {});
  // Port 1 on loopback refuses every connection: that subscriber retries for minutes.
  TriggerConfigOptions options;
  options.subscriptions_json =
      "{\"broken\": {\"url\": \"http://127.0.0.1:1/hook\", \"secret\": \"" +
      std::string(kHookSecret) +
      "\", \"retry\": {\"max_attempts\": 1000, \"base_delay\": \"10ms\", \"max_delay\": "
      "\"50ms\"}}, \"healthy\": {\"url\": \"http://127.0.0.1:" +
      std::to_string(receiver.port()) + "/hook\", \"secret\": \"" + kHookSecret + "\"}}";
  auto gateway = ingested(dir, 200, options);
  const int expected = good_rows(1, 200);
  EXPECT_EQ(wait_for_count([&] { return static_cast<int64_t>(receiver.received().size()); },
                           expected, std::chrono::seconds(15)),
            expected);
  TestClient client(gateway->port());
  const auto metrics = client.request(verb::get, "/metrics").body;
  EXPECT_NE(
      metrics.find(
          "coregate_webhook_deliveries_total{subscription=\"broken\",result=\"failed_attempt\"}"),
      std::string::npos)
      << metrics;
}

TEST_F(TriggerDeliveryTest, AFailingSubjectIsDeadLetteredWithoutBlockingOthersAndCanBeReplayed) {
  if (!node_peers_available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
  const auto dir = trigger_temp_dir("dead-letter");
  const std::string poison = "4000000010";  // rows with i % 13 == 0
  Receiver receiver(dir, {"--always-fail-subject", poison});
  TriggerConfigOptions options;
  options.subscriptions_json = subscription(
      receiver.port(),
      ", \"retry\": {\"max_attempts\": 3, \"base_delay\": \"10ms\", \"max_delay\": \"20ms\"}");
  constexpr int kRows = 60;
  auto gateway = ingested(dir, kRows, options);
  int poisoned = 0;
  for (int i = 1; i <= kRows; ++i) poisoned += (!is_bad_row(i) && i % 13 == 0) ? 1 : 0;
  const int healthy = good_rows(1, kRows) - poisoned;
  ASSERT_EQ(wait_for_count([&] { return static_cast<int64_t>(receiver.received().size()); },
                           healthy, std::chrono::seconds(30)),
            healthy);
  TestClient client(gateway->port());
  boost::json::array items;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto reply = client.request(verb::get, "/v1/triggers/dead-letters?subscription=workflow", "",
                                bearer(kAdminToken));
    ASSERT_EQ(reply.status, 200) << reply.body;
    items = reply.json().at("items").as_array();
    if (static_cast<int>(items.size()) >= poisoned) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(static_cast<int>(items.size()), poisoned);
  EXPECT_EQ(items[0].at("attempts"), 3);
  EXPECT_NE(std::string(items[0].at("last_error").as_string()).find("HTTP 500"), std::string::npos);
  EXPECT_EQ(items[0].at("event").at("subject").as_string(), poison);
  // Only admins see or replay dead letters.
  EXPECT_EQ(client.request(verb::get, "/v1/triggers/dead-letters", "", bearer(kTriggerReaderToken))
                .status,
            403);
  EXPECT_EQ(
      client.request(verb::post, "/v1/triggers/dead-letters/999999/replay", "", bearer(kAdminToken))
          .status,
      404);
  // The receiver is fixed; replaying delivers each once.
  receiver.always_fail("");
  for (const auto& item : items) {
    auto reply = client.request(
        verb::post,
        "/v1/triggers/dead-letters/" + std::to_string(item.at("id").as_int64()) + "/replay", "",
        bearer(kAdminToken));
    EXPECT_EQ(reply.status, 202) << reply.body;
  }
  const int all = healthy + poisoned;
  ASSERT_EQ(wait_for_count([&] { return static_cast<int64_t>(receiver.received().size()); }, all,
                           std::chrono::seconds(20)),
            all);
  auto after = client.request(verb::get, "/v1/triggers/dead-letters", "", bearer(kAdminToken));
  EXPECT_TRUE(after.json().at("items").as_array()[0].as_object().contains("replayed_at"));
}

}  // namespace
}  // namespace coregate::testing
