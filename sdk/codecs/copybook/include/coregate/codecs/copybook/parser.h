// Parses copybook text into a Copybook with its layout computed.
//
// Errors: parse_copybook throws CopybookError (a load-time failure) carrying the 1-based line and
// column of the offending token. It never returns a partially parsed copybook.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "coregate/codecs/copybook/model.h"

namespace coregate::codecs::copybook {

enum class SourceFormat {
  kAuto,   // fixed when every code line has a valid indicator in column 7, else free
  kFixed,  // columns 1-6 sequence area, 7 indicator, 8-72 code, 73+ ignored
  kFree,   // code anywhere; "*>" starts a comment; a '*' or '/' first non-blank is a comment line
};

struct ParseOptions {
  SourceFormat format = SourceFormat::kAuto;
  bool decimal_point_is_comma = false;  // DECIMAL-POINT IS COMMA: ',' is the point in pictures
  // Binary (COMP) storage sizes: IBM's 2/4/8 bytes up to 18 digits; above, the fewest bytes that
  // hold the value with a sign bit (as Cobrix does). `binary_size_1_2_4_8` uses GnuCOBOL's
  // default table (1 byte up to 2 digits, 2 up to 4, 4 up to 9, 8 up to 18).
  bool binary_size_1_2_4_8 = false;
};

class CopybookError : public std::runtime_error {
 public:
  CopybookError(int line, int column, const std::string& message);
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  int line_;
  int column_;
};

[[nodiscard]] Copybook parse_copybook(std::string_view text, const ParseOptions& options = {});

}  // namespace coregate::codecs::copybook
