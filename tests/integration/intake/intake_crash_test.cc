// Crash test (issue 3 acceptance): 16 connections post outcomes with distinct keys, the gateway is
// SIGKILLed mid-stream and restarted, and every outcome that got a 202 must be stored with its
// data, none twice, and re-posting its key must replay the stored response. Repeated 10 times
// (COREGATE_CRASH_ROUNDS overrides).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "tests/integration/intake/intake_fixture.h"

namespace coregate::testing {
namespace {

struct Acked {
  std::string key;
  std::string subject;
  std::string body;  // the 202 body
  std::string id;
};

TEST(IntakeCrashTest, EveryAcceptedOutcomeSurvivesSigkill) {
  int rounds = 10;
  if (const char* env = std::getenv("COREGATE_CRASH_ROUNDS")) rounds = std::max(1, std::atoi(env));
  constexpr int kConnections = 16;
  const auto dir = fresh_temp_dir("crash");
  GatewayProcess gateway(dir, intake_config(dir), writer_env());
  std::vector<Acked> acked_total;
  std::mt19937 random(12345);

  for (int round = 0; round < rounds; ++round) {
    gateway.start();
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::vector<Acked> acked;
    std::vector<std::thread> posters;
    for (int c = 0; c < kConnections; ++c) {
      posters.emplace_back([&, c] {
        TestClient client(gateway.port());
        for (int n = 0; !stop; ++n) {
          const std::string key =
              "r" + std::to_string(round) + "-c" + std::to_string(c) + "-n" + std::to_string(n);
          const std::string subject = "subject-" + key;  // unique: lets the check find duplicates
          Reply reply;
          try {
            reply = post_outcome(client, key,
                                 promise_body(subject, "\"" + std::to_string(n) + ".25\""));
          } catch (const std::exception&) {
            return;  // connection refused/reset: the gateway is gone
          }
          if (reply.connection_closed && reply.status == 0) return;
          if (reply.status == 202) {
            std::lock_guard lock(mutex);
            acked.push_back(
                {key, subject, reply.body, std::string(reply.json().at("id").as_string())});
          } else if (reply.status != 0) {
            ADD_FAILURE() << "unexpected status " << reply.status << ": " << reply.body;
            return;
          }
        }
      });
    }
    // Kill at a random moment while all 16 are posting.
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + random() % 400));
    gateway.kill(SIGKILL);
    stop = true;
    for (auto& t : posters) t.join();
    EXPECT_GT(acked.size(), 0u) << "round " << round << " accepted nothing before the kill";
    acked_total.insert(acked_total.end(), acked.begin(), acked.end());

    // Restart and check everything acknowledged so far (this round and all earlier ones).
    gateway.start();
    std::map<std::string, std::vector<boost::json::object>> by_subject;
    for (auto& item : list_all(gateway.port()))
      by_subject[std::string(item["subject"].as_string())].push_back(item);
    TestClient client(gateway.port());
    for (const auto& a : acked_total) {
      auto found = by_subject.find(a.subject);
      ASSERT_NE(found, by_subject.end())
          << "round " << round << ": acknowledged outcome " << a.key << " was lost";
      ASSERT_EQ(found->second.size(), 1u) << a.key << " stored twice";
      EXPECT_EQ(found->second[0]["id"].as_string(), a.id);
    }
    for (const auto& [subject, items] : by_subject)
      EXPECT_EQ(items.size(), 1u) << subject << " stored twice";
    // Re-post a sample of this round's keys (all of them in the last round): stored response again.
    for (size_t i = 0; i < acked.size(); i += (round + 1 == rounds ? 1 : 7)) {
      const auto& a = acked[i];
      const int n = std::stoi(a.key.substr(a.key.rfind('n') + 1));
      auto replay =
          post_outcome(client, a.key, promise_body(a.subject, "\"" + std::to_string(n) + ".25\""));
      ASSERT_EQ(replay.status, 202) << a.key << ": " << replay.body;
      EXPECT_EQ(replay.body, a.body);
      EXPECT_EQ(replay.header("idempotent-replayed"), "true");
    }
    // One stored outcome: its data is intact.
    auto detail = get_with(client, "/v1/outcomes/" + acked.back().id);
    ASSERT_EQ(detail.status, 200);
    EXPECT_EQ(detail.json().at("subject").as_string(), acked.back().subject);
    client.close();
    gateway.kill(SIGKILL);
  }
  RecordProperty("acknowledged_outcomes", static_cast<int>(acked_total.size()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coregate::testing
