#include "tests/e2e/outcome_campaign.h"

#include <algorithm>
#include <csignal>
#include <memory>

#include "tests/integration/intake/test_client.h"

namespace coregate::testing::e2e {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

// One poster's connection, re-opened when the gateway's port changes or the connection died.
class Connection {
 public:
  TestClient* to(uint16_t port) {
    if (!client_ || port != port_) {
      client_ = std::make_unique<TestClient>(port);
      port_ = port;
    }
    return client_.get();
  }
  void drop() { client_.reset(); }

 private:
  std::unique_ptr<TestClient> client_;
  uint16_t port_ = 0;
};

}  // namespace

OutcomeCampaign::OutcomeCampaign(CampaignOptions options)
    : options_(std::move(options)), records_(static_cast<size_t>(options_.total)) {}

OutcomeCampaign::~OutcomeCampaign() {
  wait();
}

void OutcomeCampaign::start() {
  // A write to a socket the killed gateway left behind must be an error, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  for (int t = 0; t < options_.threads; ++t) {
    threads_.emplace_back([this, t] { post_all(t, options_.threads); });
  }
}

void OutcomeCampaign::wait() {
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void OutcomeCampaign::post_all(int first, int step) {
  const auto deadline = Clock::now() + options_.deadline;
  for (int i = first; i < options_.total; i += step) {
    records_[static_cast<size_t>(i)] = post_one(i, deadline);
    ++figures_.answered;
  }
}

PostRecord OutcomeCampaign::post_one(int index, Clock::time_point deadline) {
  static thread_local Connection connection;
  PostRecord record;
  const std::string key = options_.key_of(index);
  const std::string body = options_.body_of(index);
  const std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + options_.token},
                                                      {"Content-Type", "application/json"},
                                                      {"Idempotency-Key", "\"" + key + "\""}};
  while (Clock::now() < deadline) {
    const uint16_t port = options_.port();
    if (port == 0) {  // down between a kill and the restart
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    ++record.sends;
    Reply reply;
    try {
      reply = connection.to(port)->request(http::verb::post, "/v1/outcomes", body, headers);
    } catch (const std::exception&) {
      reply = Reply{};  // refused or reset: the answer (if any) is lost
    }
    if (reply.status == 0) {
      connection.drop();
      ++figures_.resent_after_loss;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (reply.status == 409) {
      ++figures_.conflicts;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (reply.status == 429 || reply.status == 503) {
      ++figures_.busy;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    record.final_status = reply.status;
    if (reply.status == 202) {
      ++figures_.accepted;
      if (reply.header("idempotent-replayed") == "true") ++figures_.replayed;
      auto json = reply.json();
      if (json.is_object() && json.as_object().contains("id")) {
        record.outcome_id = std::string(json.as_object().at("id").as_string());
      }
    } else {
      record.detail = reply.body;
    }
    return record;
  }
  return record;  // final_status 0: no definitive answer before the deadline
}

}  // namespace coregate::testing::e2e
