#include "gateway/triggers/webhook_signature.h"

#include <gtest/gtest.h>

#include "gateway/triggers/webhook_client.h"

namespace coregate::triggers {
namespace {

TEST(WebhookSignature, MatchesRfc4231TestCase2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookSignature, SignsTimestampDotBody) {
  const std::string header = webhook_signature("Jefe", 1700000000, "{\"a\":1}");
  EXPECT_EQ(header, "t=1700000000,v1=" + hmac_sha256_hex("Jefe", "1700000000.{\"a\":1}"));
}

TEST(WebhookUrl, Parses) {
  auto url = parse_webhook_url("http://127.0.0.1:9000/hooks/a?x=1");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, "9000");
  EXPECT_EQ(url.target, "/hooks/a?x=1");
  auto plain = parse_webhook_url("http://example.test");
  EXPECT_EQ(plain.port, "80");
  EXPECT_EQ(plain.target, "/");
  EXPECT_TRUE(parse_webhook_url("https://x").host.empty());
}

}  // namespace
}  // namespace coregate::triggers
