// The small, stable API other components (the mapping engine, adapters) use to treat a copybook
// as a record layout: look a field up by path, read its type facts, and ask whether a value can be
// stored in it without loss.
//
// Thread-safety: every function here is pure; a Copybook may be shared read-only across threads.
// Errors: lookups return std::nullopt; fit checks return a FitResult naming what does not fit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "coregate/codecs/copybook/model.h"

namespace coregate::codecs::copybook {

// The facts about one field a mapping needs. A plain value: copy it freely.
struct FieldInfo {
  std::string path;  // canonical full path, e.g. "RECORD.AMOUNT"
  Usage usage = Usage::kDisplay;
  Category category = Category::kAlphanumeric;
  int digits = 0;  // total decimal digits (numerics); 0 for text and floats
  int scale = 0;   // digits after the decimal point (negative for PIC ...PPP)
  bool is_signed = false;
  std::size_t offset = 0;       // first occurrence, from record start
  std::size_t byte_length = 0;  // one occurrence, in bytes (includes a separate sign byte)
  int occurs_max = 1;           // 1 unless the field or an enclosing group has OCCURS
  bool alphanumeric = false;    // PIC X/A: text, encoded through the code page
  bool ebcdic_text = false;     // true when the bytes are characters (DISPLAY text, zoned, edited)
  bool is_group = false;
};

// Looks a field up (same path rules as Copybook::find). std::nullopt when unknown or ambiguous.
[[nodiscard]] std::optional<FieldInfo> find_field(const Copybook& copybook, std::string_view path);

// Why a value does not fit a field.
enum class FitError {
  kNone = 0,
  kNotADecimal,            // the text is not [+-]digits[.digits]
  kNotNumericField,        // the field is text/group; use check_text_fits
  kTooManyIntegerDigits,   // more integer digits than digits - scale allows (overflow)
  kTooManyFractionDigits,  // more (non-zero) fraction digits than the scale (would round)
  kNegativeIntoUnsigned,   // a negative value into a field without a sign
  kTextTooLong,            // text longer than the field's characters
  kNotRepresentable,       // a character the code page cannot encode
};

struct [[nodiscard]] FitResult {
  FitError error = FitError::kNone;
  std::string message;  // human readable, names the field path; empty when it fits
  bool ok() const { return error == FitError::kNone; }
  explicit operator bool() const { return ok(); }
};

std::string_view to_string(FitError error);

// Can this decimal string ("-1234.50", "+7", "0.125") be stored in `field` exactly?
// Trailing fraction zeros beyond the scale are allowed ("1.500" fits scale 2); anything that would
// round or overflow is refused. For PIC ...PPP fields (negative scale) the value must be a multiple
// of 10^-scale. COMP-5 and floats are checked against their PICTURE digits / accepted as-is.
FitResult check_decimal_fits(const FieldInfo& field, std::string_view decimal);

// Can this UTF-8 text be stored in an alphanumeric field (length in characters, every character
// encodable in `code_page`, e.g. "cp037")? Unknown code page names are an error.
FitResult check_text_fits(const FieldInfo& field, std::string_view utf8,
                          std::string_view code_page);

}  // namespace coregate::codecs::copybook
