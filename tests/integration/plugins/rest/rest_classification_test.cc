// Every classification rule of docs/plugins/rest.md against a real HTTP peer (fault_target.js),
// plus request building (path template, query, headers, key header, body, HMAC signing).
#include <boost/json.hpp>

#include "plugins/rest/hmac.h"
#include "tests/integration/plugins/rest/rest_fixture.h"

namespace coregate::testing::rest {
namespace {
namespace json = boost::json;
using sdk::WriteClass;

json::object fault_config(const std::string& base_url) {
  json::object ops{
      {"status", {{"path", "/status/{code}?retry_after={retry_after}"}}},
      {"status_dedup", {{"path", "/status/{code}"}, {"target_dedups_by_key", true}}},
      {"created", {{"path", "/created"}}},
      {"created_ref", {{"path", "/created"}, {"reference", {{"json_pointer", "/id"}}}}},
      {"no_content", {{"path", "/no-content"}}},
      {"slow", {{"path", "/slow?ms={ms}"}}},
      {"reset", {{"path", "/reset"}}},
      {"invalid_json", {{"path", "/invalid-json"}, {"reference", {{"json_pointer", "/id"}}}}},
      {"big", {{"path", "/big?bytes={bytes}"}, {"reference", {{"json_pointer", "/id"}}}}},
      {"loop", {{"path", "/loop"}}},
      {"redirect_once", {{"path", "/redirect-once"}}},
      {"redirect_away", {{"path", "/redirect-away"}}},
      {"see_other", {{"path", "/see-other"}}},
      {"echo",
       {{"method", "PUT"},
        {"path", "/echo/accounts/{account_id}/arrangements"},
        {"query", {{"channel", "{channel}"}}},
        {"headers", {{"X-Outcome", "{outcome_id}"}}},
        {"reference", {{"idempotency_key", true}}}}}};
  return {{"base_url", base_url},   {"concurrency", 4},
          {"read_timeout_ms", 700}, {"max_response_bytes", 65536},
          {"max_redirects", 3},     {"headers", {{"User-Agent", "coregate-test"}}},
          {"operations", ops}};
}

struct Case {
  const char* name;
  json::object record;
  WriteClass expected;
  const char* diagnostic_part;
};

class RestClassificationTest : public RestTest {};

TEST_F(RestClassificationTest, EveryRuleAgainstARealPeer) {
  auto a = adapter(fault_config(fault_url()));
  ASSERT_TRUE(a);
  auto status = [](int code, const char* retry_after = "") {
    return json::object{{"operation", "status"},
                        {"params", {{"code", code}, {"retry_after", retry_after}}}};
  };
  std::vector<Case> cases = {
      {"201 created",
       {{"operation", "created"}, {"body", {{"amount", "10.00"}}}},
       WriteClass::kApplied,
       ""},
      {"204 no content", {{"operation", "no_content"}}, WriteClass::kApplied, ""},
      {"409 already exists", status(409), WriteClass::kAlreadyApplied, "HTTP 409"},
      {"408", status(408), WriteClass::kRetryable, "HTTP 408"},
      {"429", status(429, "7"), WriteClass::kRetryable, "HTTP 429"},
      {"502", status(502), WriteClass::kRetryable, "HTTP 502"},
      {"503", status(503), WriteClass::kRetryable, "HTTP 503"},
      {"504", status(504), WriteClass::kRetryable, "HTTP 504"},
      {"500", status(500), WriteClass::kAmbiguous, "HTTP 500"},
      {"500 where the target dedups",
       {{"operation", "status_dedup"}, {"params", {{"code", 500}}}},
       WriteClass::kRetryable,
       "dedups"},
      {"400", status(400), WriteClass::kRejected, "as asked"},
      {"404", status(404), WriteClass::kRejected, "HTTP 404"},
      {"422", status(422), WriteClass::kRejected, "HTTP 422"},
      {"501", status(501), WriteClass::kRejected, "HTTP 501"},
      {"timeout after sending",
       {{"operation", "slow"}, {"params", {{"ms", 2000}}}},
       WriteClass::kAmbiguous,
       "no answer"},
      {"connection reset", {{"operation", "reset"}}, WriteClass::kAmbiguous, "after sending"},
      {"2xx with invalid JSON",
       {{"operation", "invalid_json"}},
       WriteClass::kAmbiguous,
       "not valid JSON"},
      {"2xx body over the cap",
       {{"operation", "big"}, {"params", {{"bytes", 200000}}}},
       WriteClass::kAmbiguous,
       "cap"},
      {"redirect loop",
       {{"operation", "loop"}},
       WriteClass::kRejected,
       "redirect limit (3) exceeded"},
      {"one same-origin redirect", {{"operation", "redirect_once"}}, WriteClass::kApplied, ""},
      {"redirect to another origin",
       {{"operation", "redirect_away"}},
       WriteClass::kRejected,
       "another origin"},
      {"303 see other", {{"operation", "see_other"}}, WriteClass::kApplied, ""},
      {"unknown operation", {{"operation", "nope"}}, WriteClass::kRejected, "not configured"},
      {"missing template value",
       {{"operation", "status"}},
       WriteClass::kRejected,
       "no value for {code}"},
  };
  for (const auto& c : cases) {
    auto r = write(*a, c.record);
    std::cout << "[observed] " << c.name << " -> " << class_name(r.write_class) << " ("
              << r.diagnostic.substr(0, 120) << ")\n";
    EXPECT_EQ(class_name(r.write_class), std::string(class_name(c.expected)))
        << c.name << ": " << r.diagnostic;
    EXPECT_NE(r.diagnostic.find(c.diagnostic_part), std::string::npos)
        << c.name << ": " << r.diagnostic;
    std::string name = c.name;
    if (name == "429") {
      EXPECT_EQ(r.retry_after.count(), 7000);
    }
    if (name == "201 created") {
      EXPECT_EQ(r.reference.rfind("/created/r-", 0), 0u) << r.reference;
    }
    if (name == "303 see other") {
      EXPECT_EQ(r.reference, "/created/abc");
    }
  }
  // A port nobody listens on: never sent.
  auto closed = fault_config("http://127.0.0.1:" + std::to_string(free_port()));
  auto b = adapter(closed);
  auto r = write(*b, {{"operation", "created"}});
  EXPECT_EQ(r.write_class, WriteClass::kRetryable) << r.diagnostic;
  EXPECT_NE(r.diagnostic.find("not sent"), std::string::npos) << r.diagnostic;
}

TEST_F(RestClassificationTest, ReferenceFromJsonPointerOrLocation) {
  auto a = adapter(fault_config(fault_url()));
  auto by_pointer = write(*a, {{"operation", "created_ref"}});
  EXPECT_EQ(by_pointer.write_class, WriteClass::kApplied);
  EXPECT_EQ(by_pointer.reference.rfind("r-", 0), 0u) << by_pointer.reference;
  auto by_location = write(*a, {{"operation", "created"}});
  EXPECT_EQ(by_location.reference.rfind("/created/r-", 0), 0u) << by_location.reference;
}

TEST_F(RestClassificationTest, BuildsTheRequestFromTheRecordAndSignsIt) {
  auto config = fault_config(fault_url());
  config["signing"] = {{"secret", "s3cret"},
                       {"canonical", "{method}\n{path}\n{timestamp}\n{body_sha256}"}};
  auto a = adapter(config);
  json::object record{{"operation", "echo"},
                      {"params", {{"account_id", "A 1/2"}, {"channel", "sms&web"}}},
                      {"headers", {{"X-Extra", "yes"}}},
                      {"body", {{"amount", "10.00"}, {"currency", "ZAR"}}}};
  auto r = write(*a, record, "key-echo-1");
  ASSERT_EQ(r.write_class, WriteClass::kApplied) << r.diagnostic;
  EXPECT_EQ(r.reference, "key-echo-1");
  auto stats = json::parse(http_text(shared().faults->port(), "/_stats")).as_object();
  const auto& seen = stats.at("last_echo").as_object();
  const auto& headers = seen.at("headers").as_object();
  EXPECT_EQ(seen.at("method").as_string(), "PUT");
  EXPECT_EQ(seen.at("path").as_string(), "/echo/accounts/A%201%2F2/arrangements");
  EXPECT_EQ(seen.at("query").as_object().at("channel").as_string(), "sms&web");
  EXPECT_EQ(headers.at("idempotency-key").as_string(), "key-echo-1");
  EXPECT_EQ(headers.at("x-outcome").as_string(), "o-key-echo-1");
  EXPECT_EQ(headers.at("x-extra").as_string(), "yes");
  EXPECT_EQ(headers.at("user-agent").as_string(), "coregate-test");
  EXPECT_EQ(headers.at("content-type").as_string(), "application/json");
  EXPECT_EQ(json::parse(seen.at("body").as_string()),
            json::parse(R"({"amount":"10.00","currency":"ZAR"})"));
  // The signature is an HMAC-SHA256 over the configured canonical string, checked independently.
  std::string canonical = "PUT\n" + std::string(seen.at("url").as_string()) + "\n" +
                          std::string(headers.at("x-timestamp").as_string()) + "\n" +
                          plugins::rest::to_hex(plugins::rest::sha256(seen.at("body").as_string()));
  EXPECT_EQ(headers.at("x-signature").as_string(),
            plugins::rest::to_hex(
                plugins::rest::hmac(plugins::rest::DigestAlgorithm::kSha256, "s3cret", canonical)));
}

}  // namespace
}  // namespace coregate::testing::rest
