// Internal: the generated EBCDIC → Unicode tables (one per supported code page).
#pragma once

#include <array>
#include <string_view>

namespace coregate::codecs::copybook::detail {

struct CodePageTable {
  std::string_view name;        // "cp037"
  std::string_view iconv_name;  // "IBM037" (glibc iconv name, used by the test)
  const char16_t* to_unicode;   // 256 entries
};

const std::array<CodePageTable, 21>& code_page_tables();

}  // namespace coregate::codecs::copybook::detail
