#include "gateway/schema/pattern.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace coregate::schema::detail {
namespace {

bool matches(const char* re, std::string_view text) { return Pattern(re).search(text); }

TEST(Pattern, DecimalAmounts) {
  const char* amount = "^-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$";
  EXPECT_TRUE(matches(amount, "125.50"));
  EXPECT_TRUE(matches(amount, "0"));
  EXPECT_TRUE(matches(amount, "-3.000001"));
  EXPECT_FALSE(matches(amount, "01.5"));
  EXPECT_FALSE(matches(amount, "1.5e3"));
  EXPECT_FALSE(matches(amount, "1."));
  EXPECT_FALSE(matches(amount, "1.1234567"));
  EXPECT_FALSE(matches(amount, "125.50\n"));
  const char* positive = "^(?!0+(\\.0+)?$)(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$";
  EXPECT_TRUE(matches(positive, "0.01"));
  EXPECT_FALSE(matches(positive, "0.00"));
  EXPECT_FALSE(matches(positive, "0"));
  EXPECT_FALSE(matches(positive, "-1"));
}

TEST(Pattern, IsUnanchoredAndWorksOnCodePoints) {
  EXPECT_TRUE(matches("b", "abc"));
  EXPECT_TRUE(matches("^.$", "\xC3\xA9"));          // é is one code point
  EXPECT_TRUE(matches("^.$", "\xF0\x9F\x90\xB2"));  // 🐲 is one code point
  EXPECT_TRUE(matches("^[\\u00e0-\\u00ff]+$", "\xC3\xA9\xC3\xA8"));
  EXPECT_FALSE(matches("^\\d+$", "\xE0\xA7\xAA"));  // Bengali four is not \d
  EXPECT_TRUE(matches("^\\s$", "\xE2\x80\xA8"));    // U+2028 is whitespace
}

TEST(Pattern, Constructs) {
  EXPECT_TRUE(matches("^(ab|cd)+?e$", "abcde"));
  EXPECT_TRUE(matches("^a{2,3}$", "aaa"));
  EXPECT_FALSE(matches("^a{2,3}$", "aaaa"));
  EXPECT_TRUE(matches("x{", "x{"));  // a brace that is not a quantifier is literal
  EXPECT_TRUE(matches("\\bfoo\\b", "a foo b"));
  EXPECT_FALSE(matches("\\bfoo\\b", "afoob"));
  EXPECT_TRUE(matches("^[^a-c]$", "d"));
  EXPECT_TRUE(matches("^[\\w-]+$", "a_b-c"));
  EXPECT_TRUE(matches("^(?:a|b)(?=c)", "bc"));
  EXPECT_TRUE(matches("(a)\\1", "aa"));  // backreference: std::regex fallback
}

TEST(Pattern, RefusesBrokenExpressions) {
  for (const char* bad : {"(", "[a-", "a**", "*a", "[z-a]", "a{3,2}", "\\", "\\p{Letter}"}) {
    EXPECT_THROW(Pattern{bad}, std::invalid_argument) << bad;
  }
}

TEST(Pattern, CatastrophicBacktrackingIsBounded) {
  Pattern evil("^(a+)+$");
  std::string text(40, 'a');
  text += '!';
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(evil.search(text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  std::string long_text(100000, 'x');
  EXPECT_TRUE(Pattern("^x*$").search(long_text));  // single-set repeats do not recurse per item
}

}  // namespace
}  // namespace coregate::schema::detail
