#include "plugins/rest/webhook_signature.h"

#include <gtest/gtest.h>

namespace coregate::plugins::rest {
namespace {
using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::from_time_t(1700000000);

WebhookSignatureRules slack() {
  WebhookSignatureRules r;
  r.header = "x-slack-signature";
  r.secret = "s";
  r.prefix = "v0=";
  r.timestamp_header = "x-slack-request-timestamp";
  r.canonical = "v0:{timestamp}:{body}";
  return r;
}

std::string slack_sig(const std::string& ts, const std::string& body) {
  return "v0=" + to_hex(hmac(DigestAlgorithm::kSha256, "s", "v0:" + ts + ":" + body));
}

TEST(WebhookSignature, ParsesKeyValueAndListHeaders) {
  WebhookSignatureRules stripe;
  stripe.signature_key = "v1";
  stripe.timestamp_key = "t";
  auto p = parse_signature_header(" t=12 , v1=aa,v0=bb, v1=cc,junk", stripe);
  EXPECT_EQ(p.signatures, (std::vector<std::string>{"aa", "cc"}));
  EXPECT_EQ(*p.timestamp, "12");
  WebhookSignatureRules list;
  list.prefix = "v1,";
  auto q = parse_signature_header("v1,AAA v2,BBB  v1,CCC", list);
  EXPECT_EQ(q.signatures, (std::vector<std::string>{"AAA", "CCC"}));
}

TEST(WebhookSignature, SlackStyleAcceptsOnceAndRefusesReplaysAndOldTimestamps) {
  WebhookVerifier v(slack());
  std::string body = R"({"a":1})";
  boost::json::object h{{"x-slack-request-timestamp", "1700000000"},
                        {"x-slack-signature", slack_sig("1700000000", body)}};
  EXPECT_TRUE(v.verify("POST", "/", h, body, kNow).ok);
  auto replay = v.verify("POST", "/", h, body, kNow + 10s);
  EXPECT_FALSE(replay.ok);
  EXPECT_NE(replay.reason.find("already used"), std::string::npos);
  boost::json::object old{{"x-slack-request-timestamp", "1699999000"},
                          {"x-slack-signature", slack_sig("1699999000", body)}};
  EXPECT_NE(v.verify("POST", "/", old, body, kNow).reason.find("tolerance"), std::string::npos);
  // The replay memory forgets after twice the tolerance; the timestamp check still refuses.
  EXPECT_FALSE(v.verify("POST", "/", h, body, kNow + 700s).ok);
}

TEST(WebhookSignature, GithubStyleWithoutTimestamp) {
  WebhookSignatureRules r;
  r.header = "x-hub-signature-256";
  r.secret = "gh";
  r.prefix = "sha256=";
  WebhookVerifier v(r);
  std::string body = "payload";
  boost::json::object h{
      {"x-hub-signature-256", "sha256=" + to_hex(hmac(DigestAlgorithm::kSha256, "gh", body))}};
  EXPECT_TRUE(v.verify("POST", "/", h, body, kNow).ok);
  boost::json::object wrong{{"x-hub-signature-256", "sha1=abcd"}};
  EXPECT_NE(v.verify("POST", "/", wrong, body, kNow).reason.find("no signature"),
            std::string::npos);
}

TEST(WebhookSignature, CanonicalStringPlaceholders) {
  WebhookSignatureRules r;
  r.canonical = "{method} {target} {header:x-id} {timestamp} {body} {other}";
  boost::json::object h{{"x-id", "7"}};
  EXPECT_EQ(*canonical_string(r, "POST", "/in?x", h, "12", "B"), "POST /in?x 7 12 B {other}");
  EXPECT_FALSE(canonical_string(r, "POST", "/", {}, "", ""));
}

}  // namespace
}  // namespace coregate::plugins::rest
