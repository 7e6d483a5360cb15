// Date and date-time formats of mapping files: parse with validation (2026-02-30 and day 366 of a
// common year are errors), format, and two-digit years through a pivot year.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/mapping/mapping.h"

namespace coregate::mapping {

enum class DateFormat : std::uint8_t {
  iso_date,        // 2026-03-01
  ccyymmdd,        // 20260301
  yymmdd,          // 260301 (pivot year)
  ddmmccyy,        // 01032026
  mmddccyy,        // 03012026
  ccyyddd,         // 2026060 (Julian: year and day of year)
  yyddd,           // 26060 (Julian, pivot year)
  iso_datetime,    // 2026-03-01T10:15:00Z or with an offset / fraction (RFC 3339)
  ccyymmddhhmmss,  // 20260301101500 (UTC)
};

std::optional<DateFormat> date_format_from_name(std::string_view name);
std::string_view date_format_name(DateFormat format);
bool is_datetime(DateFormat format);
bool needs_pivot(DateFormat format);
// Digits of an all-digit format (0 for ISO forms): integers read from a numeric column are
// zero-padded to this width ("26060" may arrive as 26060; "0010101" as 10101).
int digit_width(DateFormat format);

// A moment normalised to UTC (date-only formats leave the time at zero).
struct Timestamp {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  std::string fraction;  // fractional-second digits as written ("" when none)
};

struct DateProblem {
  MapErrorCode code = MapErrorCode::invalid_date;
  std::string message;
};

// `pivot` is the first year of the 100-year window two-digit years fall in (1950 → 50..99 are
// 1950..1999, 00..49 are 2000..2049); ignored by four-digit formats.
[[nodiscard]] bool parse_date(std::string_view text, DateFormat format, int pivot, Timestamp& out,
                              DateProblem& problem);
[[nodiscard]] bool format_date(const Timestamp& moment, DateFormat format, int pivot,
                               std::string& out, DateProblem& problem);

}  // namespace coregate::mapping
