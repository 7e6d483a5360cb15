#include "plugins/odbc/parameters.h"

#include <cctype>
#include <charconv>

namespace coregate::plugins::odbc {
namespace {

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// YYYY-MM-DD with plausible ranges (the server checks the calendar itself).
bool is_date_text(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) || !digits(s.substr(8, 2))) return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// YYYY-MM-DD[ T]HH:MM:SS[.fraction]
bool is_timestamp_text(std::string_view s) {
  if (s.size() < 19 || !is_date_text(s.substr(0, 10))) return false;
  if (s[10] != ' ' && s[10] != 'T') return false;
  std::string_view t = s.substr(11);
  if (t[2] != ':' || t[5] != ':') return false;
  if (!digits(t.substr(0, 2)) || !digits(t.substr(3, 2)) || !digits(t.substr(6, 2))) return false;
  if (t.size() == 8) return true;
  return t[8] == '.' && digits(t.substr(9));
}

std::string where(const ParamSpec& spec) {
  std::string out = "parameter '" + spec.name + "'";
  if (!spec.column.empty() && spec.column != spec.name) out += " (column '" + spec.column + "')";
  return out;
}

Checked refuse(const ParamSpec& spec, std::string_view why) {
  return {std::nullopt, where(spec) + ": " + std::string(why)};
}

}  // namespace

std::optional<ParamType> param_type_from(std::string_view name) {
  if (name == "string") return ParamType::kString;
  if (name == "integer") return ParamType::kInteger;
  if (name == "decimal") return ParamType::kDecimal;
  if (name == "boolean") return ParamType::kBoolean;
  if (name == "date") return ParamType::kDate;
  if (name == "timestamp") return ParamType::kTimestamp;
  return std::nullopt;
}

std::string_view param_type_name(ParamType type) {
  switch (type) {
    case ParamType::kString:
      return "string";
    case ParamType::kInteger:
      return "integer";
    case ParamType::kDecimal:
      return "decimal";
    case ParamType::kBoolean:
      return "boolean";
    case ParamType::kDate:
      return "date";
    case ParamType::kTimestamp:
      return "timestamp";
  }
  return "string";
}

size_t code_points(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;  // count every byte that is not a continuation byte
  }
  return n;
}

bool is_integer_text(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  if (!digits(body)) return false;
  if (text[0] == '+') text.remove_prefix(1);
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool is_decimal_text(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return digits(text);
  std::string_view whole = text.substr(0, dot), fraction = text.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  return (whole.empty() || digits(whole)) && (fraction.empty() || digits(fraction));
}

Checked check_param(const ParamSpec& spec, const boost::json::value* value) {
  if (value == nullptr || value->is_null()) {
    if (!spec.nullable) return refuse(spec, value == nullptr ? "missing" : "null is not allowed");
    return {BoundText{std::nullopt, spec.type}, {}};
  }
  std::string text;
  if (value->is_string()) {
    text = std::string(value->as_string());
  } else if (value->is_int64()) {
    text = std::to_string(value->as_int64());
  } else if (value->is_uint64()) {
    text = std::to_string(value->as_uint64());
  } else if (value->is_bool()) {
    if (spec.type != ParamType::kBoolean) {
      return refuse(spec,
                    "a " + std::string(param_type_name(spec.type)) + " is expected, not a boolean");
    }
    text = value->as_bool() ? "1" : "0";
  } else if (value->is_double()) {
    return refuse(
        spec, "a JSON number with a fraction is binary floating point; send decimals as strings");
  } else {
    return refuse(spec, "an object or array cannot be bound");
  }
  switch (spec.type) {
    case ParamType::kString:
      if (!value->is_string()) return refuse(spec, "a string is expected");
      break;
    case ParamType::kInteger:
      if (!is_integer_text(text)) return refuse(spec, "an integer is expected, got '" + text + "'");
      break;
    case ParamType::kDecimal:
      if (!is_decimal_text(text))
        return refuse(spec, "a decimal number is expected, got '" + text + "'");
      break;
    case ParamType::kBoolean:
      if (text == "true") text = "1";
      if (text == "false") text = "0";
      if (text != "1" && text != "0") return refuse(spec, "true or false is expected");
      break;
    case ParamType::kDate:
      if (!is_date_text(text))
        return refuse(spec, "a date YYYY-MM-DD is expected, got '" + text + "'");
      break;
    case ParamType::kTimestamp:
      if (!is_timestamp_text(text)) {
        return refuse(spec,
                      "a timestamp YYYY-MM-DD HH:MM:SS[.fff] is expected, got '" + text + "'");
      }
      break;
  }
  if (spec.max_length > 0 && code_points(text) > static_cast<size_t>(spec.max_length)) {
    return refuse(spec, "value of " + std::to_string(code_points(text)) +
                            " characters is longer than the column's " +
                            std::to_string(spec.max_length));
  }
  return {BoundText{std::move(text), spec.type}, {}};
}

}  // namespace coregate::plugins::odbc
