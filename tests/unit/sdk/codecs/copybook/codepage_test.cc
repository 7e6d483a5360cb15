// Every code page table checked byte by byte against glibc iconv (the reference it was generated
// from), so a hand edit or a table mix-up cannot go unnoticed.
#include <gtest/gtest.h>
#include <iconv.h>

#include "coregate/codecs/copybook/code_page.h"

namespace cb = coregate::codecs::copybook;

namespace {

// Decodes one byte with iconv into a code point; returns false when iconv cannot.
bool iconv_byte(const std::string& from, unsigned char byte, char32_t& out) {
  iconv_t cd = iconv_open("UTF-32BE", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  char in[1] = {static_cast<char>(byte)};
  unsigned char buf[8];
  char* ip = in;
  char* op = reinterpret_cast<char*>(buf);
  std::size_t il = 1, ol = sizeof buf;
  const std::size_t r = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1) || sizeof buf - ol != 4) return false;
  out = (char32_t{buf[0]} << 24) | (char32_t{buf[1]} << 16) | (char32_t{buf[2]} << 8) | buf[3];
  return true;
}

}  // namespace

TEST(CopybookCodePages, AllRequiredPagesExist) {
  for (const char* name : {"cp037",  "cp273",  "cp277",  "cp278",  "cp280",  "cp284",  "cp285",
                           "cp297",  "cp500",  "cp871",  "cp1047", "cp1140", "cp1141", "cp1142",
                           "cp1143", "cp1144", "cp1145", "cp1146", "cp1147", "cp1148", "cp1149"}) {
    const cb::CodePage* p = cb::CodePage::find(name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_TRUE(p->is_ebcdic());
  }
  EXPECT_EQ(cb::CodePage::find("IBM-1140"), cb::CodePage::find("cp1140"));
  EXPECT_EQ(cb::CodePage::find("37"), cb::CodePage::find("cp037"));
  EXPECT_EQ(cb::CodePage::find("cp9999"), nullptr);
  EXPECT_FALSE(cb::CodePage::find("ascii")->is_ebcdic());
}

TEST(CopybookCodePages, EveryTableMatchesGlibcIconv) {
  int checked = 0;
  for (std::string_view name : cb::CodePage::names()) {
    const cb::CodePage* p = cb::CodePage::find(name);
    for (int b = 0; b < 256; ++b) {
      char32_t expected = 0;
      ASSERT_TRUE(iconv_byte(std::string(p->iconv_name()), static_cast<unsigned char>(b), expected))
          << "iconv cannot convert byte " << b << " from " << p->iconv_name();
      ASSERT_EQ(static_cast<std::uint32_t>(p->to_unicode(static_cast<std::uint8_t>(b))),
                static_cast<std::uint32_t>(expected))
          << name << " byte 0x" << std::hex << b;
      auto back = p->from_unicode(expected);
      ASSERT_TRUE(back) << name;
      EXPECT_EQ(*back, b) << name << " does not round-trip byte " << b;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 22 * 256);
}

TEST(CopybookCodePages, KnownCharacters) {
  EXPECT_EQ(cb::CodePage::find("cp037")->to_unicode(0xC1), U'A');
  EXPECT_EQ(cb::CodePage::find("cp037")->to_unicode(0x40), U' ');
  EXPECT_EQ(cb::CodePage::find("cp1140")->to_unicode(0x9F), U'€');
  EXPECT_EQ(cb::CodePage::find("cp037")->to_unicode(0x9F), U'¤');
  EXPECT_EQ(cb::CodePage::find("cp273")->to_unicode(0x4A), U'Ä');
  EXPECT_EQ(cb::CodePage::find("cp1047")->to_unicode(0xAD), U'[');
  EXPECT_EQ(cb::CodePage::find("cp037")->to_unicode(0xBA), U'[');
  EXPECT_FALSE(cb::CodePage::find("cp037")->from_unicode(U'€'));
}
