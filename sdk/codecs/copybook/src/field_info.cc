#include "coregate/codecs/copybook/field_info.h"

#include "coregate/codecs/copybook/code_page.h"
#include "sdk/codecs/copybook/src/decimal_text.h"

namespace coregate::codecs::copybook {

std::optional<FieldInfo> find_field(const Copybook& cb, std::string_view path) {
  int idx = cb.find(path);
  if (idx < 0) return std::nullopt;
  const Field& f = cb.fields[static_cast<std::size_t>(idx)];
  FieldInfo info;
  info.path = f.path;
  info.usage = f.usage;
  info.category = f.picture.category;
  info.is_group = f.is_group();
  info.digits =
      f.picture.category == Category::kNumeric || f.picture.category == Category::kNumericEdited
          ? f.picture.digits
          : 0;
  info.scale = info.digits ? f.picture.scale : 0;
  info.is_signed = f.picture.is_signed;
  info.offset = f.offset;
  info.byte_length = f.element_length;
  int occ = 1;
  for (int p = idx; p >= 0; p = cb.fields[static_cast<std::size_t>(p)].parent)
    occ *= cb.fields[static_cast<std::size_t>(p)].occurs_max;
  info.occurs_max = occ;
  info.alphanumeric = f.picture.category == Category::kAlphanumeric;
  info.ebcdic_text = f.usage == Usage::kDisplay && !f.is_group();
  return info;
}

std::string_view to_string(FitError e) {
  switch (e) {
    case FitError::kNone:
      return "ok";
    case FitError::kNotADecimal:
      return "not_a_decimal";
    case FitError::kNotNumericField:
      return "not_numeric_field";
    case FitError::kTooManyIntegerDigits:
      return "too_many_integer_digits";
    case FitError::kTooManyFractionDigits:
      return "too_many_fraction_digits";
    case FitError::kNegativeIntoUnsigned:
      return "negative_into_unsigned";
    case FitError::kTextTooLong:
      return "text_too_long";
    case FitError::kNotRepresentable:
      return "not_representable";
  }
  return "?";
}

namespace {

std::string describe(const FieldInfo& f) {
  std::string s = f.path + " (" + std::string(to_string(f.usage));
  if (f.digits) {
    s += ", " + std::to_string(f.digits) + " digits";
    if (f.scale) s += ", scale " + std::to_string(f.scale);
    s += f.is_signed ? ", signed" : ", unsigned";
  }
  return s + ")";
}

}  // namespace

FitResult check_decimal_fits(const FieldInfo& f, std::string_view text) {
  detail::DecimalText v;
  if (!detail::parse_decimal(text, v)) {
    // Built by append: gcc 12 at -O3 warns falsely (-Wrestrict) on the operator+ chain.
    std::string message = "'";
    message.append(text).append("' is not a decimal number (for ").append(f.path).append(")");
    return {FitError::kNotADecimal, std::move(message)};
  }
  if (f.category == Category::kFloat) return {};
  if (f.category != Category::kNumeric && f.category != Category::kNumericEdited)
    return {FitError::kNotNumericField, describe(f) + " is not a numeric field"};
  const bool zero = v.digits.find_first_not_of('0') == std::string::npos;
  if (v.negative && !zero && !f.is_signed)
    return {FitError::kNegativeIntoUnsigned,
            "negative value " + std::string(text) + " cannot be stored in unsigned " + describe(f)};
  std::string aligned;
  switch (detail::align_decimal(v, f.digits, f.scale, aligned)) {
    case detail::Align::kOk:
      return {};
    case detail::Align::kTooManyIntegerDigits:
      return {FitError::kTooManyIntegerDigits,
              std::string(text) + " has too many integer digits for " + describe(f)};
    case detail::Align::kTooManyFractionDigits:
      return {FitError::kTooManyFractionDigits,
              std::string(text) + " has more decimal places than " + describe(f) + " keeps"};
  }
  return {};
}

FitResult check_text_fits(const FieldInfo& f, std::string_view utf8, std::string_view code_page) {
  const CodePage* cp = CodePage::find(code_page);
  if (!cp)
    return {FitError::kNotRepresentable, "unknown code page '" + std::string(code_page) + "'"};
  if (!f.alphanumeric)
    return {FitError::kNotNumericField, describe(f) + " is not an alphanumeric field"};
  std::size_t chars = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    char32_t cpnt;
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + static_cast<std::size_t>(n) > utf8.size())
      return {FitError::kNotRepresentable, "invalid UTF-8 in value for " + f.path};
    cpnt = n == 1 ? c : static_cast<char32_t>(c & (0x7F >> n));
    for (int k = 1; k < n; ++k)
      cpnt =
          (cpnt << 6) | (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
    if (!cp->from_unicode(cpnt))
      return {FitError::kNotRepresentable,
              "character U+" + std::to_string(static_cast<unsigned>(cpnt)) + " has no byte in " +
                  std::string(cp->name()) + " (for " + f.path + ")"};
    i += static_cast<std::size_t>(n);
    ++chars;
  }
  if (chars > f.byte_length)
    return {FitError::kTextTooLong, std::to_string(chars) + " characters do not fit " +
                                        describe(f) + " of " + std::to_string(f.byte_length)};
  return {};
}

}  // namespace coregate::codecs::copybook
