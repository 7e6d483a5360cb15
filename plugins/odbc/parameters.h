// Declared statement parameters and the checks a value must pass before the database is touched.
// Pure logic (no ODBC), unit-tested in tests/unit/plugins/odbc.
//
// Values reach the plugin as JSON (the mapped record). Every value is bound as text of a declared
// type, never spliced into SQL: strings as UTF-16 (SQL_WVARCHAR), numbers as their decimal text
// (SQL_BIGINT / SQL_NUMERIC), so money never passes through binary floating point.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::plugins::odbc {

enum class ParamType { kString, kInteger, kDecimal, kBoolean, kDate, kTimestamp };

std::optional<ParamType> param_type_from(std::string_view name);
std::string_view param_type_name(ParamType type);

struct ParamSpec {
  std::string name;    // key in the record's params object
  std::string column;  // the column it lands in, for error messages (default: name)
  ParamType type = ParamType::kString;
  int64_t max_length = 0;  // > 0: at most this many characters (Unicode code points)
  bool nullable = true;    // JSON null (or a missing key) binds SQL NULL
};

// A value ready to bind: text in UTF-8, or SQL NULL.
struct BoundText {
  std::optional<std::string> text;  // nullopt: SQL NULL
  ParamType type = ParamType::kString;
};

// Either the value to bind or why the value is refused (naming the parameter and column).
struct [[nodiscard]] Checked {
  std::optional<BoundText> value;
  std::string error;
};

// Checks `value` (nullptr when the key is absent) against `spec`: presence, JSON type, numeric
// syntax, date/time syntax, length in code points. Refuses binary floating point (a JSON number
// with a fraction or exponent) for every type: decimals must arrive as strings.
Checked check_param(const ParamSpec& spec, const boost::json::value* value);

// Number of Unicode code points in valid UTF-8 (invalid bytes count one each).
size_t code_points(std::string_view utf8);

// True for "-12", "0", "+7" within int64 range.
bool is_integer_text(std::string_view text);
// True for "-12.50", "3", ".5", "1e3" is refused (exponents hide precision mistakes).
bool is_decimal_text(std::string_view text);

}  // namespace coregate::plugins::odbc
