// Fixed-width text and character sets on their own.
#include "gateway/mapping/text_format.h"

#include <gtest/gtest.h>

namespace coregate::mapping {
namespace {

TEST(MappingTextFormat, PadAlignTruncate) {
  std::string out;
  TextLayout left{6, false, ' ', false, true};
  ASSERT_EQ(fit_to_width("abc", left, out), FitOutcome::fitted);
  EXPECT_EQ(out, "abc   ");
  TextLayout right{6, true, '0', false, true};
  ASSERT_EQ(fit_to_width("42", right, out), FitOutcome::fitted);
  EXPECT_EQ(out, "000042");
  EXPECT_EQ(fit_to_width("abcdefg", left, out), FitOutcome::too_long);
  TextLayout cut{3, false, ' ', true, true};
  ASSERT_EQ(fit_to_width("ñandú", cut, out), FitOutcome::fitted);
  EXPECT_EQ(out, "ñan");  // code points, never half a character
  TextLayout cut_right{3, true, '0', true, true};
  ASSERT_EQ(fit_to_width("12345", cut_right, out), FitOutcome::fitted);
  EXPECT_EQ(out, "345");
}

TEST(MappingTextFormat, TrimMirrorsPadding) {
  TextLayout left{6, false, ' ', false, true};
  EXPECT_EQ(trim_padding("abc   ", left), "abc");
  EXPECT_EQ(trim_padding("  abc ", left), "  abc");
  TextLayout right{6, true, '0', false, true};
  EXPECT_EQ(trim_padding("000042", right), "42");
  EXPECT_EQ(trim_padding("000000", right), "0");
  TextLayout keep{6, false, ' ', false, false};
  EXPECT_EQ(trim_padding("abc   ", keep), "abc   ");
}

TEST(MappingTextFormat, Charsets) {
  EXPECT_FALSE(find_unrepresentable("HELLO, World 1-2/3.", Charset::ebcdic_invariant));
  auto bad = find_unrepresentable("ab€", Charset::ebcdic_invariant);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->position, 2u);
  EXPECT_EQ(bad->code_point, U'€');
  for (const char* variant : {"!", "#", "$", "@", "[", "]", "\\", "^", "`", "{", "|", "}", "~"}) {
    EXPECT_TRUE(find_unrepresentable(variant, Charset::ebcdic_invariant)) << variant;
    EXPECT_FALSE(find_unrepresentable(variant, Charset::ascii)) << variant;
  }
  EXPECT_TRUE(find_unrepresentable("\n", Charset::ascii));
  EXPECT_FALSE(find_unrepresentable("日本", Charset::utf8));
  EXPECT_EQ(describe_code_point(U'é'), "'é' (U+00E9)");
  EXPECT_EQ(describe_code_point(0x07), "control character U+0007");
}

}  // namespace
}  // namespace coregate::mapping
