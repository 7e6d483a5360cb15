// POST /v1/inbound/{adapter}: CloudEvents in binary and structured mode become triggers of the
// adapter's inbound source (deduplicated by source + id); invalid events are refused 400; other
// requests go to the adapter's inbound hook (the testing adapter's control commands).
#include <signal.h>

#include "tests/integration/triggers/triggers_fixture.h"

namespace coregate::testing {
namespace {

using boost::beast::http::verb;
using Headers = std::map<std::string, std::string>;

const char* kPaymentFailed =
    R"({"account":{"account_id":"4000123456"},"amount":{"value":"1500.00","currency":"ZAR"},)"
    R"("payment_reference":"DO-20260301-77812","failed_at":"2026-03-02T00:07:31Z",)"
    R"("reason":"insufficient_funds"})";

class TriggerInboundTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!sqlite_odbc_available()) GTEST_SKIP() << "SQLite3 ODBC driver not installed";
    dir_ = trigger_temp_dir("inbound");
    add_debit_returns(dir_ / "core.db", 1, 1);
    TriggerConfigOptions options;
    options.inbound = true;
    gateway_ = std::make_unique<GatewayProcess>(dir_, trigger_config(dir_, options));
    gateway_->start();
    client_ = std::make_unique<TestClient>(gateway_->port());
  }
  void TearDown() override {
    client_.reset();
    gateway_.reset();  // SIGKILLs the gateway before its folder goes
    remove_temp_dirs(!HasFailure());
  }
  Reply post(const std::string& body, Headers headers, const char* token = kAdminToken) {
    headers["Authorization"] = std::string("Bearer ") + token;
    return client_->request(verb::post, "/v1/inbound/crm", body, headers);
  }
  static Headers binary(const std::string& id) {
    return {{"ce-specversion", "1.0"},
            {"ce-id", id},
            {"ce-source", "/crm/collections"},
            {"ce-type", "crm.payment.failed"},
            {"Content-Type", "application/json"}};
  }
  std::filesystem::path dir_;
  std::unique_ptr<GatewayProcess> gateway_;
  std::unique_ptr<TestClient> client_;
};

TEST_F(TriggerInboundTest, BinaryAndStructuredEventsAreAcceptedOnce) {
  auto first = post(kPaymentFailed, binary("evt-1"));
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(first.json().at("duplicate"), false);
  EXPECT_EQ(first.json().at("type"), "coregate.trigger.payment.failed");
  auto again = post(kPaymentFailed, binary("evt-1"));
  ASSERT_EQ(again.status, 202);
  EXPECT_EQ(again.json().at("duplicate"), true) << "a re-sent event keeps its id";
  EXPECT_EQ(again.json().at("id"), first.json().at("id"));

  const std::string structured =
      std::string(R"({"specversion":"1.0","id":"evt-2","source":"/crm/collections",)") +
      R"("type":"crm.payment.failed","subject":"acct-9","data":)" + kPaymentFailed + "}";
  auto second = post(structured, {{"Content-Type", "application/cloudevents+json; charset=utf-8"}});
  ASSERT_EQ(second.status, 202) << second.body;
  EXPECT_NE(second.json().at("id"), first.json().at("id"));

  // Both are triggers, in order, with the event's subject when it has one.
  TestClient client(gateway_->port());
  auto events = pull(client, "inbound-check", 100);
  std::vector<boost::json::value> inbound;
  for (const auto& e : events) {
    if (e.at("source") == "/coregate/sources/crm_events") inbound.push_back(e);
  }
  ASSERT_EQ(inbound.size(), 2u);
  EXPECT_EQ(inbound[0].at("subject"), "4000123456");
  EXPECT_EQ(inbound[1].at("subject"), "acct-9");
  EXPECT_EQ(inbound[1].at("data").at("payment_reference"), "DO-20260301-77812");
}

TEST_F(TriggerInboundTest, InvalidCloudEventsAreRefused400) {
  auto without = [](const std::string& name) {
    Headers h = binary("evt-x");
    h.erase(name);
    return h;
  };
  for (const char* missing : {"ce-id", "ce-source", "ce-type", "ce-specversion"}) {
    auto reply = post(kPaymentFailed, without(missing));
    EXPECT_EQ(reply.status, 400) << missing << ": " << reply.body;
    EXPECT_NE(reply.body.find("invalid-cloudevent"), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find(std::string(missing).substr(3)), std::string::npos) << reply.body;
  }
  auto bad_escape = binary("evt-%zz");
  auto reply = post(kPaymentFailed, bad_escape);
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  EXPECT_NE(reply.body.find("percent-encoding"), std::string::npos) << reply.body;
  EXPECT_EQ(post(kPaymentFailed, binary("evt-%C3%28")).status, 400)
      << "invalid UTF-8 after decoding";
  EXPECT_EQ(post(kPaymentFailed, binary("evt-%4")).status, 400);
  EXPECT_EQ(post("{not json", binary("evt-3")).status, 400);

  const Headers structured{{"Content-Type", "application/cloudevents+json"}};
  const std::string data = std::string(",\"data\":") + kPaymentFailed + "}";
  for (const std::string& body :
       {std::string(R"({"id":"e","source":"/s","type":"t")") + data,
        std::string(R"({"specversion":"1.0","source":"/s","type":"t")") + data,
        std::string(R"({"specversion":"1.0","id":"e","type":"t")") + data,
        std::string(R"({"specversion":"1.0","id":"e","source":"/s")") + data,
        std::string(R"({"specversion":"1.0","id":"e)") + "\xff\xfe" +
            R"(","source":"/s","type":"t")" + data,
        std::string(R"({"specversion":"1.0","id":"e","source":"/s","type":"t","time":"noon")") +
            data,
        std::string("[]"), std::string("")}) {
    auto r = post(body, structured);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
  }
  // A valid CloudEvent whose data is not a valid trigger: 422, and an exception with the reason.
  auto rejected = post(R"({"account":{"account_id":"4000123456"}})", binary("evt-bad-data"));
  EXPECT_EQ(rejected.status, 422) << rejected.body;
  EXPECT_GT(rejected.json().at("exception_id").as_int64(), 0);
  auto exceptions = client_->request(verb::get, "/v1/triggers/exceptions", "", bearer(kAdminToken));
  EXPECT_NE(exceptions.body.find("crm_events"), std::string::npos) << exceptions.body;
}

TEST_F(TriggerInboundTest, OtherRequestsReachTheAdapterHookAndAuthIsChecked) {
  auto stats = post(R"({"stats": true})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(stats.status, 200) << stats.body;
  EXPECT_TRUE(stats.json().as_object().contains("stats")) << stats.body;
  // A token narrowed to the adapter may push to it without the admin scope...
  EXPECT_EQ(post(kPaymentFailed, binary("evt-5"), kCrmPusherToken).status, 202);
  // ...a token that is neither may not.
  EXPECT_EQ(post(kPaymentFailed, binary("evt-6"), kTriggerReaderToken).status, 403);
  EXPECT_EQ(client_->request(verb::post, "/v1/inbound/crm", kPaymentFailed, binary("evt-7")).status,
            401);
  auto unknown = client_->request(verb::post, "/v1/inbound/nope", "{}", bearer(kAdminToken));
  EXPECT_EQ(unknown.status, 404);
  // The ODBC adapter has no inbound hook and no inbound source.
  auto odbc = client_->request(verb::post, "/v1/inbound/core", kPaymentFailed, [] {
    auto h = binary("evt-8");
    h["Authorization"] = std::string("Bearer ") + kAdminToken;
    return h;
  }());
  EXPECT_EQ(odbc.status, 404) << odbc.body;
}

}  // namespace
}  // namespace coregate::testing
