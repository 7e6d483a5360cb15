#include "gateway/mapping/date_format.h"

#include <array>

namespace coregate::mapping {
namespace {

struct FormatName {
  std::string_view name;
  DateFormat format;
};
constexpr std::array<FormatName, 9> kFormats = {{
    {"iso_date", DateFormat::iso_date},
    {"ccyymmdd", DateFormat::ccyymmdd},
    {"yymmdd", DateFormat::yymmdd},
    {"ddmmccyy", DateFormat::ddmmccyy},
    {"mmddccyy", DateFormat::mmddccyy},
    {"ccyyddd", DateFormat::ccyyddd},
    {"yyddd", DateFormat::yyddd},
    {"iso_datetime", DateFormat::iso_datetime},
    {"ccyymmddhhmmss", DateFormat::ccyymmddhhmmss},
}};

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 (H. Hinnant's civil calendar algorithms), for offset normalisation.
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(long z, int& y, int& m, int& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

// Reads exactly `count` digits at text[pos]; false when any is not a digit.
bool read_digits(std::string_view text, size_t pos, int count, int& out) {
  if (pos + static_cast<size_t>(count) > text.size()) return false;
  int value = 0;
  for (int i = 0; i < count; ++i) {
    char ch = text[pos + static_cast<size_t>(i)];
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + (ch - '0');
  }
  out = value;
  return true;
}

// Formats into a fixed buffer (one append at the end instead of a call per character).
struct DigitWriter {
  char buffer[40];
  size_t size = 0;
  void digits(int value, int count) {
    for (int i = count - 1; i >= 0; --i) {
      buffer[size + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    size += static_cast<size_t>(count);
  }
  void push_back(char ch) { buffer[size++] = ch; }
};
void append_digits(DigitWriter& out, int value, int count) {
  out.digits(value, count);
}

bool fail(DateProblem& problem, MapErrorCode code, std::string message) {
  problem.code = code;
  problem.message = std::move(message);
  return false;
}

bool syntax_error(DateProblem& problem, std::string_view text, DateFormat format) {
  return fail(problem, MapErrorCode::invalid_date,
              "'" + std::string(text) + "' is not a date in format " +
                  std::string(date_format_name(format)));
}

int expand_two_digit_year(int yy, int pivot) {
  int year = pivot - pivot % 100 + yy;
  if (year < pivot) year += 100;
  return year;
}

bool check_calendar_date(std::string_view text, int year, int month, int day,
                         DateProblem& problem) {
  if (year < 1)
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) + "': year 0000 does not exist");
  if (month < 1 || month > 12) {
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) + "': month " + std::to_string(month) + " does not exist");
  }
  if (day < 1 || day > days_in_month(year, month)) {
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) + "': " + std::to_string(year) + "-" +
                    (month < 10 ? "0" : "") + std::to_string(month) + " has no day " +
                    std::to_string(day));
  }
  return true;
}

bool from_day_of_year(std::string_view text, int year, int day_of_year, Timestamp& out,
                      DateProblem& problem) {
  if (year < 1)
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) + "': year 0000 does not exist");
  const int days = is_leap(year) ? 366 : 365;
  if (day_of_year < 1 || day_of_year > days) {
    return fail(problem, MapErrorCode::invalid_julian_day,
                "'" + std::string(text) + "': day " + std::to_string(day_of_year) + " of " +
                    std::to_string(year) + " does not exist (" + std::to_string(year) + " has " +
                    std::to_string(days) + " days)");
  }
  int month = 1;
  int remaining = day_of_year;
  while (remaining > days_in_month(year, month)) remaining -= days_in_month(year, month++);
  out.year = year;
  out.month = month;
  out.day = remaining;
  return true;
}

int day_of_year(const Timestamp& t) {
  int n = t.day;
  for (int m = 1; m < t.month; ++m) n += days_in_month(t.year, m);
  return n;
}

bool parse_iso_datetime(std::string_view text, Timestamp& out, DateProblem& problem) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)
  auto bad = [&] {
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) +
                    "' is not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM))");
  };
  int y, mo, d, h, mi, s;
  if (text.size() < 20 || !read_digits(text, 0, 4, y) || text[4] != '-' ||
      !read_digits(text, 5, 2, mo) || text[7] != '-' || !read_digits(text, 8, 2, d) ||
      (text[10] != 'T' && text[10] != 't') || !read_digits(text, 11, 2, h) || text[13] != ':' ||
      !read_digits(text, 14, 2, mi) || text[16] != ':' || !read_digits(text, 17, 2, s)) {
    return bad();
  }
  if (!check_calendar_date(text, y, mo, d, problem)) return false;
  if (h > 23 || mi > 59 || s > 59) {
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) + "': time of day out of range");
  }
  size_t pos = 19;
  std::string fraction;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
      fraction.push_back(text[pos++]);
    if (fraction.empty() || fraction.size() > 9) return bad();
  }
  int offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh, om;
    if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad();
    }
    offset_minutes = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();
  // Normalise to UTC so every system-side form is unambiguous.
  long minutes = days_from_civil(y, mo, d) * 1440L + h * 60L + mi - offset_minutes;
  long days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  long minute_of_day = minutes - days * 1440;
  civil_from_days(days, out.year, out.month, out.day);
  if (out.year < 1 || out.year > 9999) {
    return fail(problem, MapErrorCode::invalid_date,
                "'" + std::string(text) + "' is outside years 0001-9999 in UTC");
  }
  out.hour = static_cast<int>(minute_of_day / 60);
  out.minute = static_cast<int>(minute_of_day % 60);
  out.second = s;
  out.fraction = std::move(fraction);
  return true;
}

}  // namespace

std::optional<DateFormat> date_format_from_name(std::string_view name) {
  for (const auto& entry : kFormats) {
    if (entry.name == name) return entry.format;
  }
  return std::nullopt;
}

std::string_view date_format_name(DateFormat format) {
  for (const auto& entry : kFormats) {
    if (entry.format == format) return entry.name;
  }
  return "?";
}

bool is_datetime(DateFormat format) {
  return format == DateFormat::iso_datetime || format == DateFormat::ccyymmddhhmmss;
}

bool needs_pivot(DateFormat format) {
  return format == DateFormat::yymmdd || format == DateFormat::yyddd;
}

int digit_width(DateFormat format) {
  switch (format) {
    case DateFormat::ccyymmdd:
    case DateFormat::ddmmccyy:
    case DateFormat::mmddccyy:
      return 8;
    case DateFormat::yymmdd:
      return 6;
    case DateFormat::ccyyddd:
      return 7;
    case DateFormat::yyddd:
      return 5;
    case DateFormat::ccyymmddhhmmss:
      return 14;
    case DateFormat::iso_date:
    case DateFormat::iso_datetime:
      return 0;
  }
  return 0;
}

bool parse_date(std::string_view text, DateFormat format, int pivot, Timestamp& out,
                DateProblem& problem) {
  out = Timestamp{};
  int y = 0, m = 0, d = 0;
  const int width = digit_width(format);
  if (width != 0 && static_cast<int>(text.size()) != width)
    return syntax_error(problem, text, format);
  switch (format) {
    case DateFormat::iso_date:
      if (text.size() != 10 || !read_digits(text, 0, 4, y) || text[4] != '-' ||
          !read_digits(text, 5, 2, m) || text[7] != '-' || !read_digits(text, 8, 2, d)) {
        return syntax_error(problem, text, format);
      }
      break;
    case DateFormat::ccyymmdd:
      if (!read_digits(text, 0, 4, y) || !read_digits(text, 4, 2, m) ||
          !read_digits(text, 6, 2, d)) {
        return syntax_error(problem, text, format);
      }
      break;
    case DateFormat::yymmdd:
      if (!read_digits(text, 0, 2, y) || !read_digits(text, 2, 2, m) ||
          !read_digits(text, 4, 2, d)) {
        return syntax_error(problem, text, format);
      }
      y = expand_two_digit_year(y, pivot);
      break;
    case DateFormat::ddmmccyy:
      if (!read_digits(text, 0, 2, d) || !read_digits(text, 2, 2, m) ||
          !read_digits(text, 4, 4, y)) {
        return syntax_error(problem, text, format);
      }
      break;
    case DateFormat::mmddccyy:
      if (!read_digits(text, 0, 2, m) || !read_digits(text, 2, 2, d) ||
          !read_digits(text, 4, 4, y)) {
        return syntax_error(problem, text, format);
      }
      break;
    case DateFormat::ccyyddd: {
      int doy;
      if (!read_digits(text, 0, 4, y) || !read_digits(text, 4, 3, doy)) {
        return syntax_error(problem, text, format);
      }
      return from_day_of_year(text, y, doy, out, problem);
    }
    case DateFormat::yyddd: {
      int doy;
      if (!read_digits(text, 0, 2, y) || !read_digits(text, 2, 3, doy)) {
        return syntax_error(problem, text, format);
      }
      return from_day_of_year(text, expand_two_digit_year(y, pivot), doy, out, problem);
    }
    case DateFormat::iso_datetime:
      return parse_iso_datetime(text, out, problem);
    case DateFormat::ccyymmddhhmmss: {
      int h, mi, s;
      if (!read_digits(text, 0, 4, y) || !read_digits(text, 4, 2, m) ||
          !read_digits(text, 6, 2, d) || !read_digits(text, 8, 2, h) ||
          !read_digits(text, 10, 2, mi) || !read_digits(text, 12, 2, s)) {
        return syntax_error(problem, text, format);
      }
      if (!check_calendar_date(text, y, m, d, problem)) return false;
      if (h > 23 || mi > 59 || s > 59) {
        return fail(problem, MapErrorCode::invalid_date,
                    "'" + std::string(text) + "': time of day out of range");
      }
      out = Timestamp{y, m, d, h, mi, s, {}};
      return true;
    }
  }
  if (!check_calendar_date(text, y, m, d, problem)) return false;
  out.year = y;
  out.month = m;
  out.day = d;
  return true;
}

bool format_date(const Timestamp& t, DateFormat format, int pivot, std::string& out,
                 DateProblem& problem) {
  out.clear();
  if (needs_pivot(format) && (t.year < pivot || t.year > pivot + 99)) {
    return fail(problem, MapErrorCode::year_out_of_window,
                "year " + std::to_string(t.year) + " cannot be written as " +
                    std::string(date_format_name(format)) + ": two-digit years cover " +
                    std::to_string(pivot) + "-" + std::to_string(pivot + 99) + " (pivot_year)");
  }
  if (format == DateFormat::ccyymmddhhmmss && !t.fraction.empty() &&
      t.fraction.find_first_not_of('0') != std::string::npos) {
    return fail(problem, MapErrorCode::invalid_date,
                "fractional seconds ." + t.fraction + " cannot be written as ccyymmddhhmmss");
  }
  DigitWriter w;
  switch (format) {
    case DateFormat::iso_date:
      append_digits(w, t.year, 4);
      w.push_back('-');
      append_digits(w, t.month, 2);
      w.push_back('-');
      append_digits(w, t.day, 2);
      break;
    case DateFormat::ccyymmdd:
      append_digits(w, t.year, 4);
      append_digits(w, t.month, 2);
      append_digits(w, t.day, 2);
      break;
    case DateFormat::yymmdd:
      append_digits(w, t.year % 100, 2);
      append_digits(w, t.month, 2);
      append_digits(w, t.day, 2);
      break;
    case DateFormat::ddmmccyy:
      append_digits(w, t.day, 2);
      append_digits(w, t.month, 2);
      append_digits(w, t.year, 4);
      break;
    case DateFormat::mmddccyy:
      append_digits(w, t.month, 2);
      append_digits(w, t.day, 2);
      append_digits(w, t.year, 4);
      break;
    case DateFormat::ccyyddd:
      append_digits(w, t.year, 4);
      append_digits(w, day_of_year(t), 3);
      break;
    case DateFormat::yyddd:
      append_digits(w, t.year % 100, 2);
      append_digits(w, day_of_year(t), 3);
      break;
    case DateFormat::iso_datetime:
      append_digits(w, t.year, 4);
      w.push_back('-');
      append_digits(w, t.month, 2);
      w.push_back('-');
      append_digits(w, t.day, 2);
      w.push_back('T');
      append_digits(w, t.hour, 2);
      w.push_back(':');
      append_digits(w, t.minute, 2);
      w.push_back(':');
      append_digits(w, t.second, 2);
      if (!t.fraction.empty()) {
        w.push_back('.');
        for (char ch : t.fraction) w.push_back(ch);  // at most 9 digits
      }
      w.push_back('Z');
      break;
    case DateFormat::ccyymmddhhmmss:
      append_digits(w, t.year, 4);
      append_digits(w, t.month, 2);
      append_digits(w, t.day, 2);
      append_digits(w, t.hour, 2);
      append_digits(w, t.minute, 2);
      append_digits(w, t.second, 2);
      break;
  }
  out.assign(w.buffer, w.size);
  return true;
}

}  // namespace coregate::mapping
