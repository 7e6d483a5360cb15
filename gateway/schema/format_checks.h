// The "format" values Coregate asserts (validation fails on a mismatch; JSON Schema 2020-12 calls
// this the format-assertion vocabulary). Any other format name is refused at schema load, so a
// schema never relies on a check that silently does nothing.
#pragma once

#include <optional>
#include <string_view>

namespace coregate::schema::detail {

enum class Format { kNone, kDate, kDateTime, kEmail, kUuid };

// nullopt for a format name we do not assert.
std::optional<Format> parse_format_name(std::string_view name);
std::string_view format_name(Format format);

// RFC 3339 full-date, calendar-checked (2026-02-30 is invalid).
[[nodiscard]] bool is_valid_date(std::string_view text);
// RFC 3339 date-time (T/t separator, Z/z or ±hh:mm offset, leap second only at 23:59:60 UTC).
[[nodiscard]] bool is_valid_date_time(std::string_view text);
// RFC 5321 mailbox: dot-atom or quoted local part @ hostname, [IPv4] or [IPv6:...] literal.
[[nodiscard]] bool is_valid_email(std::string_view text);
// RFC 4122 textual form: 8-4-4-4-12 hex digits.
[[nodiscard]] bool is_valid_uuid(std::string_view text);

[[nodiscard]] bool check_format(Format format, std::string_view text);

}  // namespace coregate::schema::detail
