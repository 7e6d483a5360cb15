#include "gateway/intake/strict_json.h"

#include <gtest/gtest.h>

namespace coregate::intake {
namespace {

StrictJsonResult parse(const std::string& text, size_t depth = 32) {
  return parse_strict_json(text, {depth});
}

TEST(StrictJson, AcceptsValidJsonAndBuildsTheValue) {
  auto r = parse(R"({"a":[1,2,{"b":"c\u00e9"}],"d":null,"e":1.5,"f":18446744073709551615})");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.value.at("a").at(2).at("b").as_string(), "c\xC3\xA9");
  EXPECT_TRUE(r.value.at("f").is_uint64());
  // The same key in DIFFERENT objects is fine.
  EXPECT_TRUE(parse(R"({"a":{"x":1},"b":{"x":2}})").ok());
}

TEST(StrictJson, RefusesDuplicateKeysWithTheirPointer) {
  auto top = parse(R"({"type":"a","type":"b"})");
  EXPECT_EQ(top.defect, JsonDefect::kDuplicateKey);
  EXPECT_EQ(top.pointer, "/type");
  auto nested = parse(R"({"data":{"items":[{"k":1},{"k":1,"k":2}]}})");
  EXPECT_EQ(nested.defect, JsonDefect::kDuplicateKey);
  EXPECT_EQ(nested.pointer, "/data/items/1/k");
  // Escapes are decoded before comparing: "\u0061" is "a".
  EXPECT_EQ(parse(R"({"a":1,"\u0061":2})").defect, JsonDefect::kDuplicateKey);
  EXPECT_EQ(parse(R"({"a/b":1,"a/b":2})").pointer, "/a~1b");
}

TEST(StrictJson, ClassifiesBrokenInput) {
  EXPECT_EQ(parse(R"({"a":)").defect, JsonDefect::kTruncated);
  EXPECT_EQ(parse(R"({"a" 1})").defect, JsonDefect::kMalformed);
  EXPECT_EQ(parse(R"({"a":1} x)").defect, JsonDefect::kMalformed);
  EXPECT_EQ(parse(R"({"a":1,})").defect, JsonDefect::kMalformed);  // no trailing commas
  EXPECT_EQ(parse("{\"a\":\"\xFF\"}").defect, JsonDefect::kInvalidUtf8);
  EXPECT_EQ(parse("{\"a\":\"\xED\xA0\x80\"}").defect,
            JsonDefect::kInvalidUtf8);  // UTF-16 surrogate
  EXPECT_EQ(parse("{\"a\":\"\xF4\x90\x80\x80\"}").defect, JsonDefect::kInvalidUtf8);  // > U+10FFFF
  EXPECT_EQ(parse(std::string(33, '[') + std::string(33, ']')).defect, JsonDefect::kTooDeep);
  EXPECT_TRUE(parse(std::string(32, '[') + std::string(32, ']')).ok());
  EXPECT_EQ(parse("").defect, JsonDefect::kTruncated);
}

TEST(StrictJson, Utf8ValidatorFindsTheFirstBadByte) {
  EXPECT_EQ(find_invalid_utf8("abc"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("ab\x80"), 2u);
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);      // overlong '/'
  EXPECT_EQ(find_invalid_utf8("ab\xE0\x80\xAF"), 2u);  // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("ab\xE2\x82"), 2u);      // truncated
}

}  // namespace
}  // namespace coregate::intake
