#include "plugins/rest/request_template.h"

#include <gtest/gtest.h>

#include <map>

#include "plugins/rest/hmac.h"
#include "plugins/rest/request_signing.h"

namespace coregate::plugins::rest {
namespace {

TemplateLookup from(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(RequestTemplate, PathSegmentsAreEncoded) {
  auto r = render_template("/accounts/{account_id}/arrangements",
                           from({{"account_id", "A 1/../x?"}}), TemplateEscaping::kPathSegment);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.text, "/accounts/A%201%2F..%2Fx%3F/arrangements");
}

TEST(RequestTemplate, BracesAndErrors) {
  EXPECT_EQ(render_template("{{literal}} {a}", from({{"a", "v"}}), TemplateEscaping::kNone).text,
            "{literal} v");
  auto missing = render_template("/x/{b}", from({}), TemplateEscaping::kNone);
  EXPECT_FALSE(missing.ok);
  EXPECT_NE(missing.error.find("{b}"), std::string::npos);
  EXPECT_TRUE(first_template_error("/x/{b"));
  EXPECT_TRUE(first_template_error("/x/{}"));
  EXPECT_FALSE(first_template_error("/x/{b}"));
}

TEST(RequestSigning, CanonicalStringAndHeaders) {
  SigningRules rules;
  rules.secret = "key";
  rules.canonical = "{method} {path} {timestamp} {idempotency_key} {body_sha256} {unknown}";
  SigningInput in{"POST", "/a?b=1", "{}", "k1", 1700000000};
  EXPECT_EQ(signing_canonical(rules, in),
            "POST /a?b=1 1700000000 k1 "
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a {unknown}");
  auto headers = sign_request(rules, in);
  ASSERT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers[0].first, "X-Signature");
  EXPECT_EQ(headers[0].second,
            to_hex(hmac(DigestAlgorithm::kSha256, "key", signing_canonical(rules, in))));
  EXPECT_EQ(headers[1].second, "1700000000");
}

TEST(Hmac, KnownVectorsAndCodecs) {
  // RFC 4231 test case 2.
  EXPECT_EQ(to_hex(hmac(DigestAlgorithm::kSha256, "Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(to_base64("hello"), "aGVsbG8=");
  EXPECT_EQ(*from_base64("aGVsbG8="), "hello");
  EXPECT_EQ(*from_base64("aGVsbA=="), "hell");
  EXPECT_FALSE(from_base64("abc"));
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
  EXPECT_EQ(*from_hex("4142"), "AB");
  EXPECT_TRUE(equal_in_constant_time("ab", "ab"));
  EXPECT_FALSE(equal_in_constant_time("ab", "abc"));
}

}  // namespace
}  // namespace coregate::plugins::rest
