// A fixture for the engine's integration tests that need one gateway at a time: the real
// `coregate serve` whose testing adapter "core" journals to dir/journal.jsonl and obeys
// dir/control.json (replaced atomically to steer faults and health at run time).
#pragma once

#include <signal.h>

#include <iostream>
#include <memory>

#include "tests/integration/engine/engine_fixture.h"

namespace coregate::testing::engine_it {

// A gateway whose testing adapter journals to dir/journal.jsonl and obeys dir/control.json.
class EngineGatewayTest : public ::testing::Test {
 protected:
  void start(const std::string& engine_keys, const json::object& control = {}) {
    dir_ = fresh_temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    write_control(control_file(), control);
    json::object testing{
        {"seed", 7}, {"journal", journal().string()}, {"control_file", control_file().string()}};
    gateway_ = std::make_unique<GatewayProcess>(dir_, engine_config(dir_, testing, engine_keys),
                                                workflow_env());
    gateway_->start();
  }
  // SIGKILLs the gateway and starts it again on the same store, journal and control file, with
  // `engine_keys` (the testing adapter's own settings stay).
  void kill_and_restart(const std::string& engine_keys) {
    gateway_->kill(SIGKILL);
    json::object testing{
        {"seed", 7}, {"journal", journal().string()}, {"control_file", control_file().string()}};
    gateway_ = std::make_unique<GatewayProcess>(dir_, engine_config(dir_, testing, engine_keys),
                                                workflow_env());
    gateway_->start();
  }
  void TearDown() override {
    if (gateway_) gateway_->kill(SIGKILL);
    if (!HasFailure() && !dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::filesystem::path journal() const { return dir_ / "journal.jsonl"; }
  std::filesystem::path control_file() const { return dir_ / "control.json"; }
  uint16_t port() const { return gateway_->port(); }

  // Posts one outcome and returns its id.
  std::string post(const std::string& key, const std::string& subject,
                   const std::string& amount = "10.00") {
    TestClient client(port());
    Reply reply = post_outcome(client, key, promise_body(subject, amount));
    EXPECT_EQ(reply.status, 202) << reply.body;
    return reply.status == 202 ? std::string(reply.json().at("id").as_string()) : "";
  }

  // Waits until the outcome reaches `status`; fails the test (with the log) when it does not.
  void await_status(const std::string& id, const std::string& status,
                    std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    std::string last;
    const bool reached = eventually(
        [&] {
          last = outcome_status(port(), id);
          return last == status;
        },
        limit);
    ASSERT_TRUE(reached) << "outcome " << id << " is " << last << ", expected " << status;
  }

  // The exceptions (all pages) naming an outcome.
  std::vector<json::object> exceptions_for(const std::string& outcome_id,
                                           const std::string& query = "") {
    std::vector<json::object> found;
    for (auto& e : list_all(port(), "/v1/exceptions" + query, kOperatorToken)) {
      if (e.at("outcome_id").as_string() == outcome_id) found.push_back(e);
    }
    return found;
  }

  json::object adapter_core() {
    TestClient client(port());
    Reply reply = call(client, verb::get, "/v1/adapters/core", kReaderToken);
    EXPECT_EQ(reply.status, 200) << reply.body;
    return reply.status == 200 ? reply.json().as_object() : json::object{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<GatewayProcess> gateway_;
};

inline const std::string kFastEngine =
    "\"concurrency\": 4, \"timeout\": \"2s\",\n"
    "    \"retry\": {\"max_attempts\": 20, \"max_age\": \"10m\", \"base_delay\": \"20ms\", "
    "\"max_delay\": \"100ms\"},\n"
    "    " COREGATE_TEST_NO_BREAKER
    ",\n"
    "    \"health_interval\": \"100ms\", \"health_timeout\": \"1s\"";

inline json::object reject_subject(const std::string& subject_prefix,
                                   const std::string& diagnostic) {
  return json::object{
      {"faults", json::object{{"rules", json::array{json::object{{"subject_prefix", subject_prefix},
                                                                 {"fault", "rejected"},
                                                                 {"diagnostic", diagnostic}}}}}}};
}

}  // namespace coregate::testing::engine_it
