#include "gateway/intake/idempotency_key.h"

#include <cstdio>

namespace coregate::intake {
namespace {

std::string describe_byte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", c);
  return buffer;
}

}  // namespace

ParsedIdempotencyKey parse_idempotency_key(std::string_view header, bool present) {
  ParsedIdempotencyKey result;
  if (!present) {
    result.defect = KeyDefect::kMissing;
    result.detail =
        "The Idempotency-Key header is required: a quoted string such as "
        "Idempotency-Key: \"8e03978e-40d5-43e8-bc93-6894a57f9324\".";
    return result;
  }
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t'))
    header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t'))
    header.remove_suffix(1);
  if (header.size() < 2 || header.front() != '"') {
    result.defect = KeyDefect::kNotAString;
    result.detail =
        "The Idempotency-Key must be a structured-field string: the key in double quotes, "
        "e.g. \"8e03978e-40d5-43e8-bc93-6894a57f9324\".";
    return result;
  }
  std::string value;
  size_t i = 1;
  bool closed = false;
  for (; i < header.size(); ++i) {
    const auto c = static_cast<unsigned char>(header[i]);
    if (c == '"') {
      closed = true;
      ++i;
      break;
    }
    if (c == '\\') {
      if (i + 1 < header.size() && (header[i + 1] == '"' || header[i + 1] == '\\')) {
        value.push_back(header[++i]);
        continue;
      }
      result.defect = KeyDefect::kBadCharacter;
      result.detail =
          "The Idempotency-Key has a backslash that does not escape '\"' or '\\' at position " +
          std::to_string(i) + ".";
      return result;
    }
    if (c < 0x20 || c > 0x7E) {
      result.defect = KeyDefect::kBadCharacter;
      result.detail = "The Idempotency-Key may hold printable ASCII only; byte " +
                      describe_byte(c) + " (a control or non-ASCII character) is at position " +
                      std::to_string(i) + ".";
      return result;
    }
    value.push_back(static_cast<char>(c));
    if (value.size() > kMaxIdempotencyKeyLength) {
      // Stop early: a 10,000-character key costs no more than a 256-character one.
      result.defect = KeyDefect::kTooLong;
      result.detail = "The Idempotency-Key is longer than " +
                      std::to_string(kMaxIdempotencyKeyLength) + " characters.";
      return result;
    }
  }
  if (!closed) {
    result.defect = KeyDefect::kNotAString;
    result.detail = "The Idempotency-Key's string has no closing double quote.";
    return result;
  }
  if (i != header.size()) {
    result.defect = KeyDefect::kNotAString;
    result.detail = "The Idempotency-Key must be a single string; found '" +
                    std::string(header.substr(i, 20)) + "' after the closing quote.";
    return result;
  }
  if (value.empty()) {
    result.defect = KeyDefect::kEmpty;
    result.detail = "The Idempotency-Key must not be empty.";
    return result;
  }
  result.value = std::move(value);
  return result;
}

}  // namespace coregate::intake
