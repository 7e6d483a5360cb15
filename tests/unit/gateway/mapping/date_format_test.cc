// Date formats on their own: every format round-trips; leap years; pivot windows.
#include "gateway/mapping/date_format.h"

#include <gtest/gtest.h>

namespace coregate::mapping {
namespace {

std::string convert(std::string_view text, DateFormat from, DateFormat to, int pivot = 1950) {
  Timestamp t;
  DateProblem p;
  std::string out;
  if (!parse_date(text, from, pivot, t, p) || !format_date(t, to, pivot, out, p)) {
    return "error:" + std::string(code_name(p.code));
  }
  return out;
}

TEST(MappingDateFormat, EveryFormatRoundTrips) {
  const DateFormat formats[] = {DateFormat::iso_date, DateFormat::ccyymmdd, DateFormat::yymmdd,
                                DateFormat::ddmmccyy, DateFormat::mmddccyy, DateFormat::ccyyddd,
                                DateFormat::yyddd};
  for (const char* iso :
       {"1950-01-01", "1999-12-31", "2000-02-29", "2024-02-29", "2049-12-31", "2026-03-01"}) {
    for (DateFormat f : formats) {
      const std::string there = convert(iso, DateFormat::iso_date, f);
      EXPECT_EQ(convert(there, f, DateFormat::iso_date), iso)
          << date_format_name(f) << " " << there;
    }
  }
  EXPECT_EQ(convert("2026-03-01", DateFormat::iso_date, DateFormat::ddmmccyy), "01032026");
  EXPECT_EQ(convert("2026-03-01", DateFormat::iso_date, DateFormat::mmddccyy), "03012026");
  EXPECT_EQ(convert("2024-03-01", DateFormat::iso_date, DateFormat::ccyyddd), "2024061");
  EXPECT_EQ(convert("2023-03-01", DateFormat::iso_date, DateFormat::ccyyddd), "2023060");
}

TEST(MappingDateFormat, LeapYearRules) {
  EXPECT_EQ(convert("1900-02-29", DateFormat::iso_date, DateFormat::ccyymmdd),
            "error:invalid_date");
  EXPECT_EQ(convert("2000-02-29", DateFormat::iso_date, DateFormat::ccyymmdd), "20000229");
  EXPECT_EQ(convert("1900366", DateFormat::ccyyddd, DateFormat::iso_date),
            "error:invalid_julian_day");
  EXPECT_EQ(convert("2000366", DateFormat::ccyyddd, DateFormat::iso_date), "2000-12-31");
  EXPECT_EQ(convert("99366", DateFormat::yyddd, DateFormat::iso_date), "error:invalid_julian_day");
}

TEST(MappingDateFormat, RejectsMalformedText) {
  for (const char* bad : {"", "2026", "202603011", "2026030a", "-2026031", "2026 301"}) {
    EXPECT_EQ(convert(bad, DateFormat::ccyymmdd, DateFormat::iso_date), "error:invalid_date")
        << bad;
  }
  EXPECT_EQ(convert("2026-3-01", DateFormat::iso_date, DateFormat::ccyymmdd), "error:invalid_date");
  EXPECT_EQ(convert("26-03-01", DateFormat::iso_date, DateFormat::ccyymmdd), "error:invalid_date");
}

TEST(MappingDateFormat, PivotWindow) {
  EXPECT_EQ(convert("500101", DateFormat::yymmdd, DateFormat::iso_date, 1950), "1950-01-01");
  EXPECT_EQ(convert("491231", DateFormat::yymmdd, DateFormat::iso_date, 1950), "2049-12-31");
  EXPECT_EQ(convert("000101", DateFormat::yymmdd, DateFormat::iso_date, 1980), "2000-01-01");
  EXPECT_EQ(convert("790101", DateFormat::yymmdd, DateFormat::iso_date, 1980), "2079-01-01");
  EXPECT_EQ(convert("1949-12-31", DateFormat::iso_date, DateFormat::yymmdd, 1950),
            "error:year_out_of_window");
}

TEST(MappingDateFormat, DateTimeOffsetsCrossDays) {
  EXPECT_EQ(
      convert("2024-03-01T00:30:00+01:00", DateFormat::iso_datetime, DateFormat::ccyymmddhhmmss),
      "20240229233000");
  EXPECT_EQ(
      convert("2025-12-31T23:30:00-01:00", DateFormat::iso_datetime, DateFormat::iso_datetime),
      "2026-01-01T00:30:00Z");
  EXPECT_EQ(convert("2026-01-01T00:00:00.250Z", DateFormat::iso_datetime, DateFormat::iso_datetime),
            "2026-01-01T00:00:00.250Z");
  EXPECT_EQ(
      convert("2026-01-01T00:00:00.000Z", DateFormat::iso_datetime, DateFormat::ccyymmddhhmmss),
      "20260101000000");
  EXPECT_EQ(
      convert("2026-01-01T00:00:00+24:00", DateFormat::iso_datetime, DateFormat::iso_datetime),
      "error:invalid_date");
  EXPECT_EQ(convert("20260101246000", DateFormat::ccyymmddhhmmss, DateFormat::iso_datetime),
            "error:invalid_date");
}

}  // namespace
}  // namespace coregate::mapping
