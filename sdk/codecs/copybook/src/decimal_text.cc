#include "sdk/codecs/copybook/src/decimal_text.h"

namespace coregate::codecs::copybook::detail {

bool parse_decimal(std::string_view text, DecimalText& out) {
  out = DecimalText{};
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    out.negative = text[i] == '-';
    ++i;
  }
  bool any = false, point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      out.digits.push_back(c);
      if (point) ++out.scale;
      any = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  if (!any) return false;
  return true;
}

Align align_decimal(const DecimalText& v, int digits, int scale, std::string& out) {
  const std::size_t nfrac = static_cast<std::size_t>(v.scale);
  std::size_t ib = 0, ie = v.digits.size() - nfrac;  // integer part [ib, ie)
  while (ib < ie && v.digits[ib] == '0') ++ib;
  std::size_t fe = v.digits.size();  // fraction [ie, fe) without trailing zeros
  while (fe > ie && v.digits[fe - 1] == '0') --fe;
  const std::size_t int_len = ie - ib, frac_len = fe - ie;
  out.clear();
  if (scale >= 0) {
    if (frac_len > static_cast<std::size_t>(scale)) return Align::kTooManyFractionDigits;
    std::string padded_frac;
    for (std::size_t i = ie; i < fe; ++i) padded_frac.push_back(v.digits[i]);
    while (padded_frac.size() < static_cast<std::size_t>(scale)) padded_frac.push_back('0');
    const int int_room = digits - scale;
    if (int_room >= 0) {
      if (int_len > static_cast<std::size_t>(int_room)) return Align::kTooManyIntegerDigits;
      for (std::size_t i = int_len; i < static_cast<std::size_t>(int_room); ++i) out.push_back('0');
      for (std::size_t i = ib; i < ie; ++i) out.push_back(v.digits[i]);
      out += padded_frac;
      return Align::kOk;
    }
    // PPP9 pictures: the first -int_room fraction places are P positions and must be zero.
    if (int_len) return Align::kTooManyIntegerDigits;
    const std::size_t skip = static_cast<std::size_t>(-int_room);
    for (std::size_t i = 0; i < skip; ++i)
      if (padded_frac[i] != '0') return Align::kTooManyIntegerDigits;
    for (std::size_t i = skip; i < padded_frac.size(); ++i) out.push_back(padded_frac[i]);
    return Align::kOk;
  }
  // Negative scale: no fraction, and the integer must end in -scale zeros.
  if (frac_len) return Align::kTooManyFractionDigits;
  const std::size_t zeros = static_cast<std::size_t>(-scale);
  std::size_t sig_end = ie;
  if (int_len) {
    if (int_len <= zeros) return Align::kTooManyFractionDigits;
    for (std::size_t i = ie - zeros; i < ie; ++i)
      if (v.digits[i] != '0') return Align::kTooManyFractionDigits;
    sig_end = ie - zeros;
  }
  const std::size_t sig = int_len ? sig_end - ib : 0;
  if (sig > static_cast<std::size_t>(digits)) return Align::kTooManyIntegerDigits;
  for (std::size_t i = sig; i < static_cast<std::size_t>(digits); ++i) out.push_back('0');
  if (int_len)
    for (std::size_t i = ib; i < sig_end; ++i) out.push_back(v.digits[i]);
  return Align::kOk;
}

}  // namespace coregate::codecs::copybook::detail
