#include "gateway/schema/format_checks.h"

#include <cstdint>

namespace coregate::schema::detail {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Reads exactly n ASCII digits at text[pos]; -1 when they are not there.
int read_digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (!is_digit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

// RFC 3339 full-date at the start of text (10 chars).
bool parse_full_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  int year = read_digits(text, 0, 4);
  int month = read_digits(text, 5, 2);
  int day = read_digits(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  return day <= days_in_month(year, month);
}

// IPv4 dotted quad without leading zeros.
bool is_ipv4(std::string_view text) {
  int parts = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      value = value * 10 + (text[pos] - '0');
      if (value > 255) return false;
      ++pos;
    }
    std::size_t len = pos - start;
    if (len == 0 || len > 3 || (len > 1 && text[start] == '0')) return false;
    ++parts;
    if (pos == text.size()) break;
    if (text[pos] != '.' || parts == 4) return false;
    ++pos;
  }
  return parts == 4;
}

// RFC 4291 textual IPv6 (with "::" compression and an optional trailing IPv4).
bool is_ipv6(std::string_view text) {
  if (text.empty()) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    compressed = true;
    pos = 2;
    if (pos == text.size()) return true;
  } else if (text[0] == ':') {
    return false;
  }
  while (pos < text.size()) {
    std::size_t start = pos;
    while (pos < text.size() && is_hex(text[pos])) ++pos;
    std::size_t len = pos - start;
    if (pos < text.size() && text[pos] == '.') {
      // Trailing IPv4 counts as two groups.
      if (!is_ipv4(text.substr(start))) return false;
      groups += 2;
      pos = text.size();
      break;
    }
    if (len == 0 || len > 4) return false;
    ++groups;
    if (pos == text.size()) break;
    if (text[pos] != ':') return false;
    ++pos;
    if (pos < text.size() && text[pos] == ':') {
      if (compressed) return false;
      compressed = true;
      ++pos;
      if (pos == text.size()) break;
    } else if (pos == text.size()) {
      return false;  // trailing single colon
    }
  }
  return compressed ? groups < 8 : groups == 8;
}

// RFC 1123 hostname: dot-separated labels of letters, digits and inner hyphens, 1-63 chars each.
bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = text.find('.', pos);
    std::string_view label = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    if (end == std::string_view::npos) return true;
    pos = end + 1;
  }
}

bool is_atext(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<Format> parse_format_name(std::string_view name) {
  if (name == "date") return Format::kDate;
  if (name == "date-time") return Format::kDateTime;
  if (name == "email") return Format::kEmail;
  if (name == "uuid") return Format::kUuid;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kDate:
      return "date";
    case Format::kDateTime:
      return "date-time";
    case Format::kEmail:
      return "email";
    case Format::kUuid:
      return "uuid";
    case Format::kNone:
      break;
  }
  return "";
}

bool is_valid_date(std::string_view text) {
  return text.size() == 10 && parse_full_date(text);
}

bool is_valid_date_time(std::string_view text) {
  // full-date "T" partial-time time-offset
  if (text.size() < 20 || !parse_full_date(text)) return false;
  if (text[10] != 'T' && text[10] != 't') return false;
  if (text[13] != ':' || text[16] != ':') return false;
  int hour = read_digits(text, 11, 2);
  int minute = read_digits(text, 14, 2);
  int second = read_digits(text, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == start) return false;
  }
  if (pos >= text.size()) return false;
  int offset_minutes = 0;
  char sign = text[pos];
  if (sign == 'Z' || sign == 'z') {
    if (pos + 1 != text.size()) return false;
  } else if (sign == '+' || sign == '-') {
    if (pos + 6 != text.size() || text[pos + 3] != ':') return false;
    int oh = read_digits(text, pos + 1, 2);
    int om = read_digits(text, pos + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset_minutes = (oh * 60 + om) * (sign == '+' ? 1 : -1);
  } else {
    return false;
  }
  if (second == 60) {
    // A leap second exists only at 23:59:60 UTC.
    int utc_minutes = ((hour * 60 + minute - offset_minutes) % 1440 + 1440) % 1440;
    if (utc_minutes != 23 * 60 + 59) return false;
  }
  return true;
}

bool is_valid_email(std::string_view text) {
  std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == text.size()) return false;
  std::string_view local = text.substr(0, at);
  std::string_view domain = text.substr(at + 1);
  if (local.size() > 64) return false;
  if (local.front() == '"') {
    // quoted-string: printable ASCII except unescaped '"' and '\'.
    if (local.size() < 2 || local.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      char c = local[i];
      if (c == '\\') {
        if (i + 2 >= local.size()) return false;
        ++i;
        continue;
      }
      if (c == '"' || static_cast<unsigned char>(c) < 0x20 ||
          static_cast<unsigned char>(c) > 0x7e) {
        return false;
      }
    }
  } else {
    if (local.front() == '.' || local.back() == '.') return false;
    char previous = 0;
    for (char c : local) {
      if (c == '.') {
        if (previous == '.') return false;
      } else if (!is_atext(c)) {
        return false;
      }
      previous = c;
    }
  }
  if (domain.front() == '[') {
    if (domain.back() != ']') return false;
    std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.substr(0, 5) == "IPv6:") return is_ipv6(literal.substr(5));
    return is_ipv4(literal);
  }
  return is_hostname(domain);
}

bool is_valid_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool hyphen_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen_position ? text[i] != '-' : !is_hex(text[i])) return false;
  }
  return true;
}

bool check_format(Format format, std::string_view text) {
  switch (format) {
    case Format::kDate:
      return is_valid_date(text);
    case Format::kDateTime:
      return is_valid_date_time(text);
    case Format::kEmail:
      return is_valid_email(text);
    case Format::kUuid:
      return is_valid_uuid(text);
    case Format::kNone:
      return true;
  }
  return true;
}

}  // namespace coregate::schema::detail
