#include "gateway/intake/idempotency_key.h"

#include <gtest/gtest.h>

namespace coregate::intake {
namespace {

TEST(IdempotencyKey, ParsesStructuredFieldStrings) {
  auto key = parse_idempotency_key("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", true);
  EXPECT_EQ(key.defect, KeyDefect::kNone);
  EXPECT_EQ(key.value, "8e03978e-40d5-43e8-bc93-6894a57f9324");
  EXPECT_EQ(parse_idempotency_key(R"( "a\"b\\c" )", true).value, "a\"b\\c");
  EXPECT_EQ(parse_idempotency_key("\"" + std::string(255, 'k') + "\"", true).defect,
            KeyDefect::kNone);
}

TEST(IdempotencyKey, RefusesEverythingElse) {
  EXPECT_EQ(parse_idempotency_key("", false).defect, KeyDefect::kMissing);
  EXPECT_EQ(parse_idempotency_key("abc", true).defect, KeyDefect::kNotAString);
  EXPECT_EQ(parse_idempotency_key("\"abc", true).defect, KeyDefect::kNotAString);
  EXPECT_EQ(parse_idempotency_key("\"abc\";p=1", true).defect, KeyDefect::kNotAString);
  EXPECT_EQ(parse_idempotency_key("\"a\",\"b\"", true).defect, KeyDefect::kNotAString);
  EXPECT_EQ(parse_idempotency_key("\"\"", true).defect, KeyDefect::kEmpty);
  EXPECT_EQ(parse_idempotency_key("\"a\\nb\"", true).defect,
            KeyDefect::kBadCharacter);  // only \" and \\ escape
  for (const char* bad : {"\"a\rb\"", "\"a\nb\"", "\"a\tb\"",
                          "\"a\x01"
                          "b\"",
                          "\"a\x7F"
                          "b\"",
                          "\"caf\xC3\xA9\""}) {
    EXPECT_EQ(parse_idempotency_key(bad, true).defect, KeyDefect::kBadCharacter) << bad;
  }
  EXPECT_EQ(parse_idempotency_key("\"" + std::string(256, 'k') + "\"", true).defect,
            KeyDefect::kTooLong);
  EXPECT_EQ(parse_idempotency_key("\"" + std::string(10000, 'k') + "\"", true).defect,
            KeyDefect::kTooLong);
}

}  // namespace
}  // namespace coregate::intake
