// Internal: exact decimal text handling shared by the encoder and the fit checks.
#pragma once

#include <string>
#include <string_view>

namespace coregate::codecs::copybook::detail {

// A decimal split into sign, all its digits (integer part then fraction) and the fraction length.
struct DecimalText {
  bool negative = false;
  std::string digits;  // at least one digit; no sign, no point
  int scale = 0;       // digits after the point
};

// Parses "[+-]digits[.digits]" (also ".5", "5.", and an exponent-free JSON number text).
// Returns false on anything else.
bool parse_decimal(std::string_view text, DecimalText& out);

enum class Align { kOk, kTooManyIntegerDigits, kTooManyFractionDigits };

// Rescales `value` to exactly `digits` digits with `scale` decimal places (zero padded), refusing
// overflow and any non-zero digit that would be dropped. For negative scales the value must be a
// multiple of 10^-scale and the result holds the significant digits only.
Align align_decimal(const DecimalText& value, int digits, int scale, std::string& out_digits);

}  // namespace coregate::codecs::copybook::detail
