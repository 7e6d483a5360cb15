#include "gateway/schema/pattern.h"

#include "gateway/schema/pattern_dfa.h"
#include "gateway/schema/pattern_syntax.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace coregate::schema::detail {
namespace {

bool matches(const char* re, std::string_view text) {
  return Pattern(re).search(text);
}

TEST(SchemaPattern, DecimalAmounts) {
  const char* amount = "^-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$";
  EXPECT_TRUE(matches(amount, "125.50"));
  EXPECT_TRUE(matches(amount, "0"));
  EXPECT_TRUE(matches(amount, "-3.000001"));
  EXPECT_FALSE(matches(amount, "01.5"));
  EXPECT_FALSE(matches(amount, "1.5e3"));
  EXPECT_FALSE(matches(amount, "1."));
  EXPECT_FALSE(matches(amount, "1.1234567"));
  EXPECT_FALSE(matches(amount, "125.50\n"));
  // Lookahead runs on the backtracking matcher ...
  const char* positive = "^(?!0+(\\.0+)?$)(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$";
  EXPECT_TRUE(matches(positive, "0.01"));
  EXPECT_FALSE(matches(positive, "0.00"));
  EXPECT_FALSE(matches(positive, "0"));
  EXPECT_FALSE(matches(positive, "-1"));
  // ... and the lookahead-free form in schemas/common/money.json on the DFA; same answers.
  const char* dfa_positive =
      "^([1-9][0-9]{0,17}(\\.[0-9]{1,6})?|0\\.([1-9][0-9]{0,5}|0[1-9][0-9]{0,4}|00[1-9][0-9]{0,3}|"
      "000[1-9][0-9]{0,2}|0000[1-9][0-9]?|00000[1-9]))$";
  for (const char* text : {"0.01", "0.00", "0", "-1", "12.5", "0.000001", "0.0000001", "0.100000",
                           "000.1", "1.", "0.010", "123456789012345678", "1234567890123456789"}) {
    EXPECT_EQ(matches(positive, text), matches(dfa_positive, text)) << text;
  }
}

TEST(SchemaPattern, IsUnanchoredAndWorksOnCodePoints) {
  EXPECT_TRUE(matches("b", "abc"));
  EXPECT_TRUE(matches("^.$", "\xC3\xA9"));          // é is one code point
  EXPECT_TRUE(matches("^.$", "\xF0\x9F\x90\xB2"));  // 🐲 is one code point
  EXPECT_TRUE(matches("^[\\u00e0-\\u00ff]+$", "\xC3\xA9\xC3\xA8"));
  EXPECT_FALSE(matches("^\\d+$", "\xE0\xA7\xAA"));  // Bengali four is not \d
  EXPECT_TRUE(matches("^\\s$", "\xE2\x80\xA8"));    // U+2028 is whitespace
}

TEST(SchemaPattern, Constructs) {
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

TEST(SchemaPattern, RefusesBrokenExpressions) {
  for (const char* bad : {"(", "[a-", "a**", "*a", "[z-a]", "a{3,2}", "\\", "\\p{Letter}"}) {
    EXPECT_THROW(Pattern{bad}, std::invalid_argument) << bad;
  }
}

TEST(SchemaPattern, CatastrophicBacktrackingIsBounded) {
  Pattern evil("^(a+)+$");
  std::string text(40, 'a');
  text += '!';
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(evil.search(text));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  std::string long_text(100000, 'x');
  EXPECT_TRUE(Pattern("^x*$").search(long_text));  // single-set repeats do not recurse per item
}

// The DFA and the backtracking matcher are two implementations of one semantics: they must agree.
TEST(SchemaPattern, DfaAgreesWithBacktracking) {
  const char* patterns[] = {"^-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,6})?$",
                            "^[A-Z]{3}$",
                            "a*b",
                            "(a|ab)(c|bcd)(d*)",
                            "^(a+)+$",
                            "^$",
                            "$",
                            "^",
                            "x?y?z?",
                            "[^a]+$",
                            "^\\s*\\S+\\s*$",
                            "(?:ab){2,3}c",
                            "^[\\u00e0-\\u00ff]+",
                            "^.{2}$",
                            "a{0}",
                            "(a*)*b",
                            "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                            "[\\d-z]+",
                            "^[a-f0-9]{8}-"};
  const char* texts[] = {"",     "a",         "ab",    "abcd",
                         "aaab", "125.50",    "-0.1",  "ZAR",
                         "zar",  "abab",      "ababc", "\xC3\xA9\xC3\xA8",
                         "ba",   "23:59",     "24:00", " x ",
                         "\n",   "0123abcd-", "xyz",   "\xF0\x9F\x90\xB2\xF0\x9F\x90\xB2"};
  int compared = 0;
  for (const char* source : patterns) {
    int root = 0;
    auto nodes = regex::parse(source, root);
    auto dfa = regex::Dfa::build(nodes, root);
    ASSERT_TRUE(dfa.has_value()) << source;
    for (const char* text : texts) {
      auto expected = regex::backtracking_search(nodes, root, text);
      ASSERT_TRUE(expected.has_value()) << source << " on " << text;
      EXPECT_EQ(dfa->search(text), *expected) << source << " on '" << text << "'";
      ++compared;
    }
  }
  EXPECT_EQ(compared, 19 * 20);
}

TEST(SchemaPattern, DfaDeclinesWhatItCannotRepresent) {
  for (const char* source : {"\\bword", "a(?=b)", "(?!x)y"}) {
    int root = 0;
    auto nodes = regex::parse(source, root);
    EXPECT_FALSE(regex::Dfa::build(nodes, root).has_value()) << source;
  }
}

}  // namespace
}  // namespace coregate::schema::detail
