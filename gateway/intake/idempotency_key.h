// The Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header): an RFC 8941
// structured-field Item of type String (printable ASCII in double quotes; backslash escapes only
// a double quote or a backslash), at most 255 characters long. Parameters after the string are
// refused (none are defined, and ignoring them would make two different headers one key).
#pragma once

#include <string>
#include <string_view>

namespace coregate::intake {

inline constexpr size_t kMaxIdempotencyKeyLength = 255;

enum class KeyDefect { kNone, kMissing, kNotAString, kBadCharacter, kEmpty, kTooLong };

struct ParsedIdempotencyKey {
  KeyDefect defect = KeyDefect::kNone;
  std::string value;   // the unquoted, unescaped key when defect == kNone
  std::string detail;  // why not, for the problem's "detail"
};

// `header` is the raw field value (leading/trailing spaces allowed, as HTTP strips them anyway).
// `present` is false when the header was absent.
[[nodiscard]] ParsedIdempotencyKey parse_idempotency_key(std::string_view header, bool present);

}  // namespace coregate::intake
