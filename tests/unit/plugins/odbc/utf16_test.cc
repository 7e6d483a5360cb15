// UTF-8 <-> UTF-16 for the wide ODBC API: accents, CJK and emoji (surrogate pairs) round-trip.
#include "plugins/odbc/utf16.h"

#include <gtest/gtest.h>

namespace coregate::plugins::odbc {
namespace {

TEST(OdbcUtf16, RoundTripsAccentsCjkAndEmoji) {
  for (std::string s : {"", "plain", "Zoë Ærøskøbing", "顧客番号 한국어", "💸🏦😀", "a\0b"}) {
    EXPECT_EQ(utf16_to_utf8(utf8_to_utf16(s)), s);
  }
  EXPECT_EQ(utf8_to_utf16("💸").size(), 2u);  // a surrogate pair
}

TEST(OdbcUtf16, InvalidInputBecomesReplacementCharacter) {
  EXPECT_EQ(utf16_to_utf8(utf8_to_utf16("a\xFF"
                                        "b")),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(utf16_to_utf8(utf8_to_utf16("\xE4\xB8")), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
  std::u16string lone_surrogate = {u'x', static_cast<char16_t>(0xD800)};
  EXPECT_EQ(utf16_to_utf8(lone_surrogate), "x\xEF\xBF\xBD");
}

}  // namespace
}  // namespace coregate::plugins::odbc
