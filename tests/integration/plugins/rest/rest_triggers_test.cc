// Webhooks (signature schemes, replay refusal), polling (Link paging, next-cursor paging), probe
// and health against json-server as a CRUD target.
#include <chrono>
#include <fstream>

#include "plugins/rest/hmac.h"
#include "tests/integration/plugins/rest/rest_fixture.h"

namespace coregate::testing::rest {
namespace {
namespace json = boost::json;
using sdk::WriteClass;
namespace r = plugins::rest;

class RestTriggersTest : public RestTest {
 protected:
  plugin_host::InboundOutcome post(plugin_host::AdapterInstance& a, const json::object& headers,
                                   const std::string& body) {
    std::string h = json::serialize(headers);
    return a.inbound({"POST", "/", h, body});
  }
  static std::string stripe_header(const std::string& secret, int64_t t, const std::string& body) {
    std::string sig =
        r::to_hex(r::hmac(r::DigestAlgorithm::kSha256, secret, std::to_string(t) + "." + body));
    return "t=" + std::to_string(t) + ",v1=" + sig;
  }
};

TEST_F(RestTriggersTest, StripeStyleWebhookSignaturesAndReplays) {
  json::object cfg{{"base_url", fault_url()},
                   {"webhook",
                    {{"records_pointer", "/events"},
                     {"signature",
                      {{"header", "Stripe-Signature"},
                       {"secret", "whsec"},
                       {"signature_key", "v1"},
                       {"timestamp_key", "t"},
                       {"canonical", "{timestamp}.{body}"},
                       {"tolerance_s", 300}}}}}};
  auto a = adapter(cfg);
  int64_t now = now_ms() / 1000;
  std::string body = R"({"events": [{"id": "e1", "type": "debit.failed"}, {"id": "e2"}]})";
  auto ok = post(*a, {{"stripe-signature", stripe_header("whsec", now, body)}}, body);
  ASSERT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(json::parse(ok.records_json).as_array().size(), 2u);

  struct Case {
    const char* name;
    json::object headers;
    std::string body;
    const char* reason;
  };
  std::vector<Case> refused = {
      {"exact replay",
       {{"stripe-signature", stripe_header("whsec", now, body)}},
       body,
       "already used"},
      {"old timestamp",
       {{"stripe-signature", stripe_header("whsec", now - 301, body)}},
       body,
       "tolerance"},
      {"future timestamp",
       {{"stripe-signature", stripe_header("whsec", now + 400, body)}},
       body,
       "tolerance"},
      {"wrong secret",
       {{"stripe-signature", stripe_header("other", now, body)}},
       body,
       "does not match"},
      {"tampered body",
       {{"stripe-signature", stripe_header("whsec", now + 1, body)}},
       R"({"events": [{"id": "e1", "type": "debit.cleared"}]})",
       "does not match"},
      {"missing header", {}, body, "missing signature header"},
      {"garbage header", {{"stripe-signature", "v1=zz,t=abc"}}, body, "not an integer"},
      {"no signature in header",
       {{"stripe-signature", "t=" + std::to_string(now)}},
       body,
       "no signature"},
  };
  for (const auto& c : refused) {
    auto out = post(*a, c.headers, c.body);
    std::cout << "[observed] webhook " << c.name << " -> " << out.status << " " << out.reply_body
              << "\n";
    EXPECT_EQ(out.status, 401) << c.name;
    EXPECT_NE(out.reply_body.find(c.reason), std::string::npos) << c.name << ": " << out.reply_body;
    EXPECT_EQ(out.records_json == "" || out.records_json == "[]", true) << c.name;
  }
  // Invalid JSON with a valid signature is a 400, not a crash.
  std::string bad = "{not json";
  auto out = post(*a, {{"stripe-signature", stripe_header("whsec", now + 2, bad)}}, bad);
  EXPECT_EQ(out.status, 400);
}

TEST_F(RestTriggersTest, StandardWebhooksBase64WithTimestampHeader) {
  json::object cfg{{"base_url", fault_url()},
                   {"webhook",
                    {{"signature",
                      {{"header", "webhook-signature"},
                       {"secret", "k"},
                       {"prefix", "v1,"},
                       {"encoding", "base64"},
                       {"timestamp_header", "webhook-timestamp"},
                       {"canonical", "{header:webhook-id}.{timestamp}.{body}"}}}}}};
  auto a = adapter(cfg);
  std::string ts = std::to_string(now_ms() / 1000), body = R"({"id": "x1"})";
  std::string sig =
      r::to_base64(r::hmac(r::DigestAlgorithm::kSha256, "k", "msg_1." + ts + "." + body));
  auto ok = post(*a,
                 {{"webhook-id", "msg_1"},
                  {"webhook-timestamp", ts},
                  {"webhook-signature", "v2,AAAA v1," + sig}},
                 body);
  EXPECT_EQ(ok.status, 200) << ok.reply_body;
  EXPECT_EQ(json::parse(ok.records_json).as_array().size(), 1u);
  auto wrong_id = post(
      *a, {{"webhook-id", "msg_2"}, {"webhook-timestamp", ts}, {"webhook-signature", "v1," + sig}},
      body);
  EXPECT_EQ(wrong_id.status, 401);
}

TEST_F(RestTriggersTest, PollingPagesByLinkHeaderAndResumesFromTheCursor) {
  json::object cfg{{"base_url", fault_url()},
                   {"poll",
                    {{"sources",
                      {{"debits",
                        {{"path", "/events"},
                         {"cursor_param", "since"},
                         {"limit_param", "limit"},
                         {"record_cursor_pointer", "/id"},
                         {"max_pages", 2}}}}}}}};
  auto a = adapter(cfg);
  // limit=4 per page, at most 2 pages per poll: 8 records, then the next poll resumes at id 9.
  auto first = a->poll({"debits", "", 4, now_ms() + 5000});
  ASSERT_TRUE(first.ok) << first.error;
  auto records = json::parse(first.records_json).as_array();
  ASSERT_EQ(records.size(), 4u) << "max_records cuts at 4";
  auto second = a->poll({"debits", first.next_cursor, 10, now_ms() + 5000});
  ASSERT_TRUE(second.ok) << second.error;
  auto more = json::parse(second.records_json).as_array();
  ASSERT_EQ(more.size(), 10u);
  EXPECT_EQ(more.front().at("id").as_int64(), 5);
  EXPECT_EQ(more.back().at("id").as_int64(), 14);
  // Drain: pages are followed by Link rel=next until the end.
  std::string cursor = second.next_cursor;
  int64_t last = 14;
  for (int i = 0; i < 5; ++i) {
    auto p = a->poll({"debits", cursor, 100, now_ms() + 5000});
    ASSERT_TRUE(p.ok) << p.error;
    json::value page = json::parse(p.records_json);
    for (const auto& rec : page.as_array()) {
      EXPECT_EQ(rec.at("id").as_int64(), last + 1);
      last = rec.at("id").as_int64();
    }
    cursor = p.next_cursor;
  }
  EXPECT_EQ(last, 25);
}

TEST_F(RestTriggersTest, PollingPagesByNextCursorField) {
  json::object cfg{{"base_url", fault_url()},
                   {"poll",
                    {{"sources",
                      {{"feed",
                        {{"path", "/feed"},
                         {"cursor_param", "cursor"},
                         {"records_pointer", "/items"},
                         {"next_cursor_pointer", "/next_cursor"},
                         {"max_pages", 100}}}}}}}};
  auto a = adapter(cfg);
  auto p = a->poll({"feed", "", 1000, now_ms() + 5000});
  ASSERT_TRUE(p.ok) << p.error;
  EXPECT_EQ(json::parse(p.records_json).as_array().size(), 25u);
  auto again = a->poll({"feed", p.next_cursor, 1000, now_ms() + 5000});
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(json::parse(again.records_json).as_array().size(), 0u) << "nothing new after the end";
  // A failing source keeps the old cursor: the hook errors.
  json::object broken{{"base_url", fault_url()},
                      {"poll", {{"sources", {{"x", {{"path", "/status/503"}}}}}}}};
  auto b = adapter(broken);
  auto failed = b->poll({"x", "", 10, now_ms() + 5000});
  EXPECT_FALSE(failed.ok);
  EXPECT_NE(failed.error.find("HTTP 503"), std::string::npos) << failed.error;
}

TEST_F(RestTriggersTest, JsonServerWriteProbeAndHealth) {
  auto dir = shared().dir / "json-server";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "db.json") << R"({"arrangements": []})"; }
  JsonServer server(dir / "db.json", dir);
  json::object cfg{{"base_url", "http://127.0.0.1:" + std::to_string(server.port())},
                   {"health", {{"path", "/arrangements?_limit=1"}}},
                   {"operations",
                    {{"promise_to_pay",
                      {{"path", "/arrangements"},
                       {"reference", {{"json_pointer", "/id"}}},
                       {"probe",
                        {{"path", "/arrangements"},
                         {"query", {{"idempotency_key", "{idempotency_key}"}}},
                         {"reference_pointer", "/id"}}}}}}}};
  auto a = adapter(cfg);
  auto w = write(*a, {{"account_id", "A1"}, {"amount", "150.00"}, {"idempotency_key", "k-js-1"}},
                 "k-js-1");
  ASSERT_EQ(w.write_class, WriteClass::kApplied) << w.diagnostic;
  EXPECT_FALSE(w.reference.empty());
  json::object record{{"account_id", "A1"}};
  std::string text = json::serialize(record);
  auto found =
      a->probe({"k-js-1", "o-1", "arrangement.promise_to_pay", "A1", text, now_ms() + 5000});
  EXPECT_EQ(found.state, sdk::ProbeState::kApplied) << found.diagnostic;
  EXPECT_EQ(found.reference, w.reference);
  auto missing =
      a->probe({"k-never", "o-2", "arrangement.promise_to_pay", "A1", text, now_ms() + 5000});
  EXPECT_EQ(missing.state, sdk::ProbeState::kNotFound) << missing.diagnostic;
  auto h = a->health(now_ms() + 5000);
  EXPECT_EQ(h.state, sdk::HealthState::kHealthy) << h.detail;
  // Health of a target that is down, and of one answering 503.
  json::object down{{"base_url", "http://127.0.0.1:" + std::to_string(free_port())},
                    {"health", {{"path", "/"}}}};
  EXPECT_EQ(adapter(down)->health(now_ms() + 5000).state, sdk::HealthState::kUnhealthy);
  json::object busy{{"base_url", fault_url()}, {"health", {{"path", "/status/503"}}}};
  EXPECT_EQ(adapter(busy)->health(now_ms() + 5000).state, sdk::HealthState::kDegraded);
}

TEST_F(RestTriggersTest, BadConfigsAreRefusedAtCreateNamingTheKey) {
  EXPECT_NE(create_error({{"base_url", "ftp://x"}}).find("base_url"), std::string::npos);
  EXPECT_NE(create_error({{"base_url", "http://x"}, {"operations", {{"a", {{"path", "/a/{b"}}}}}})
                .find("operations.a.path"),
            std::string::npos);
  EXPECT_NE(create_error({{"base_url", "https://x"}, {"tls", {{"cert_file", "/c.pem"}}}})
                .find("key_file"),
            std::string::npos);
}

}  // namespace
}  // namespace coregate::testing::rest
