// UTF-8 <-> UTF-16 for the ODBC wide-character API (unixODBC's SQLWCHAR is 16 bits). Using the W
// functions keeps accents, CJK and emoji intact whatever the process locale. Invalid input is
// replaced by U+FFFD rather than refused: the server decides what it stores.
#pragma once

#include <string>
#include <string_view>

namespace coregate::plugins::odbc {

std::u16string utf8_to_utf16(std::string_view utf8);
std::string utf16_to_utf8(std::u16string_view utf16);

}  // namespace coregate::plugins::odbc
