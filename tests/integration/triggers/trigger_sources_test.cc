// Poll sources against the real binary and the real ODBC adapter over SQLite: stable ids make a
// re-poll emit nothing new, bad rows land in the trigger exceptions with their reason, and a
// SIGKILL at any point between poll and commit still yields every trigger exactly once.
#include <signal.h>

#include <random>

#include "tests/integration/triggers/triggers_fixture.h"

namespace coregate::testing {
namespace {

using boost::beast::http::verb;

class TriggerSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sqlite_odbc_available()) GTEST_SKIP() << "SQLite3 ODBC driver not installed";
  }
  void TearDown() override { remove_temp_dirs(!HasFailure()); }
};

TEST_F(TriggerSourcesTest, RePollingTheSameRowsEmitsNothingNew) {
  const auto dir = trigger_temp_dir("repoll");
  add_debit_returns(dir / "core.db", 1, 300);
  const int expected = good_rows(1, 300);
  {
    GatewayProcess gateway(dir, trigger_config(dir));
    gateway.start();
    ASSERT_EQ(
        wait_for_count([&] { return logged_triggers(dir); }, expected, std::chrono::seconds(30)),
        expected)
        << gateway.log_text();
    // The bad rows are exceptions with the mapping's reason, never silently dropped.
    TestClient client(gateway.port());
    auto reply =
        client.request(verb::get, "/v1/triggers/exceptions?limit=100", "", bearer(kAdminToken));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto items = reply.json().at("items").as_array();
    ASSERT_EQ(static_cast<int>(items.size()), 300 - expected);
    EXPECT_NE(std::string(items[0].at("reason").as_string()).find("unknown_code"),
              std::string::npos);
    EXPECT_EQ(items[0].at("record").at("order_ref"), "DO-7");
    EXPECT_EQ(items[0].at("source"), "returns");
    // Prometheus sees the source's figures.
    const auto metrics = client.request(verb::get, "/metrics").body;
    EXPECT_NE(metrics.find("coregate_triggers_ingested_total{source=\"returns\"} " +
                           std::to_string(expected)),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("coregate_trigger_exceptions_total{source=\"returns\"} " +
                           std::to_string(300 - expected)),
              std::string::npos);
    // Exceptions are for operators: a triggers:read token may not list them.
    EXPECT_EQ(client.request(verb::get, "/v1/triggers/exceptions", "", bearer(kTriggerReaderToken))
                  .status,
              403);
    gateway.kill(SIGTERM);
  }
  // Rewind the cursor: the adapter polls all 300 rows again.
  {
    SqliteFile db(dir / "triggers.db");
    db.exec("UPDATE source_cursors SET cursor = '{\"seq\":\"0\"}' WHERE source = 'returns'");
  }
  GatewayProcess gateway(dir, trigger_config(dir));
  gateway.start();
  const auto cursor_back_at_end = [&] {
    SqliteFile db(dir / "triggers.db");
    auto cursor = db.texts("SELECT cursor FROM source_cursors WHERE source = 'returns'");
    return !cursor.empty() && cursor[0].find("\"300\"") != std::string::npos;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!cursor_back_at_end() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(cursor_back_at_end()) << gateway.log_text();
  EXPECT_EQ(logged_triggers(dir), expected);
  {
    SqliteFile db(dir / "triggers.db");
    EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM trigger_exceptions"), 300 - expected)
        << "a re-polled bad row updates its exception instead of adding one";
    EXPECT_EQ(db.scalar("SELECT MIN(occurrences) FROM trigger_exceptions"), 2);
  }
  // A consumer that reads everything sees each row once.
  TestClient client(gateway.port());
  auto events = pull(client, "everything", 1000);
  EXPECT_EQ(static_cast<int>(events.size()), expected);
  std::set<std::string> ids;
  for (const auto& id : ids_of(events)) ids.insert(id);
  EXPECT_EQ(static_cast<int>(ids.size()), expected);
  // New rows after the re-poll: exactly those are new.
  add_debit_returns(dir / "core.db", 301, 320);
  const int more = good_rows(301, 320);
  EXPECT_EQ(wait_for_count([&] { return logged_triggers(dir); }, expected + more,
                           std::chrono::seconds(20)),
            expected + more);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // a few more polls
  EXPECT_EQ(logged_triggers(dir), expected + more);
  EXPECT_EQ(static_cast<int>(pull(client, "everything", 1000).size()), more);
}

TEST_F(TriggerSourcesTest, ASigkillBetweenPollAndCommitStillYieldsEachTriggerOnce) {
  const auto dir = trigger_temp_dir("crash");
  constexpr int kRows = 12000;
  add_debit_returns(dir / "core.db", 1, kRows);
  const int expected = good_rows(1, kRows);
  TriggerConfigOptions options;
  options.batch_size = 50;  // many small commits: many chances to die between poll and commit
  options.interval = "10ms";
  std::mt19937 random(12345);
  int kills = 0;
  int mid_ingest_kills = 0;  // kills that left a partly ingested log behind
  for (int round = 0; round < 6; ++round) {
    GatewayProcess gateway(dir, trigger_config(dir, options));
    gateway.start();
    const int64_t before = logged_triggers(dir);
    if (before >= expected) break;
    // Die somewhere in the middle of ingesting: at a random point of the progress (not of the
    // wall clock, so the kill lands mid-ingest on a fast machine and a slow one alike).
    const int64_t target =
        before + std::max<int64_t>(1, (expected - before) * (10 + random() % 30) / 100);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (logged_triggers(dir) < target && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    gateway.kill(SIGKILL);
    ++kills;
    const int64_t after = logged_triggers(dir);
    if (after > before && after < expected) ++mid_ingest_kills;
  }
  EXPECT_GE(mid_ingest_kills, 2) << "the kills did not land while ingesting";
  GatewayProcess gateway(dir, trigger_config(dir, options));
  gateway.start();
  ASSERT_EQ(
      wait_for_count([&] { return logged_triggers(dir); }, expected, std::chrono::seconds(60)),
      expected)
      << gateway.log_text();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  SqliteFile db(dir / "triggers.db");
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM trigger_log"), expected);
  // Every good row exactly once, by its natural key.
  EXPECT_EQ(db.scalar("SELECT COUNT(DISTINCT json_extract(event, '$.data.payment_reference')) "
                      "FROM trigger_log"),
            expected);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM trigger_exceptions"), kRows - expected)
      << "each bad row is one exception: an exception committed with its batch is never redone";
}

}  // namespace
}  // namespace coregate::testing
