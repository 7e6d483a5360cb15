// Single-byte code pages for text (PIC X) and zoned digits: the EBCDIC pages cp037, cp273, cp277,
// cp278, cp280, cp284, cp285, cp297, cp500, cp871, cp1047, cp1140-cp1149 (tables generated from
// glibc iconv and re-checked against it by a unit test), plus "latin1" (alias "ascii") for data
// written on ASCII machines (e.g. by GnuCOBOL).
//
// CodePage objects are immutable singletons owned by the library: pointers stay valid for the life
// of the process and are safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace coregate::codecs::copybook {

class CodePage {
 public:
  // Looks a code page up by name: "cp037", "CP037", "IBM037", "IBM-037", "1140", "latin1",
  // "ascii". nullptr when unknown.
  static const CodePage* find(std::string_view name);
  // The canonical names of every supported code page.
  static std::vector<std::string_view> names();

  std::string_view name() const { return name_; }
  std::string_view iconv_name() const { return iconv_name_; }
  bool is_ebcdic() const { return ebcdic_; }

  char32_t to_unicode(std::uint8_t byte) const { return to_unicode_[byte]; }
  // The byte for a Unicode code point, or nullopt when the page cannot represent it.
  std::optional<std::uint8_t> from_unicode(char32_t code_point) const;

  std::uint8_t space() const { return ebcdic_ ? 0x40 : 0x20; }

  // Internal constructor (used by the registry).
  CodePage(std::string_view name, std::string_view iconv_name, bool ebcdic, const char16_t* table);

 private:
  std::string_view name_;
  std::string_view iconv_name_;
  bool ebcdic_;
  char32_t to_unicode_[256];
  std::vector<std::pair<char32_t, std::uint8_t>> from_unicode_;  // sorted by code point
};

}  // namespace coregate::codecs::copybook
