// The compiled form of a mapping file: everything apply() needs, decided at load. Internal to
// gateway/mapping (the public API is mapping.h).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

#include "coregate/codecs/decimal/decimal.h"
#include "gateway/mapping/date_format.h"
#include "gateway/mapping/json_path.h"
#include "gateway/mapping/mapping.h"
#include "gateway/mapping/text_format.h"

namespace coregate::mapping::detail {

namespace dec = coregate::codecs::decimal;

enum class Side : std::uint8_t { canonical, system };

// What a rule does to the value on its way from one side to the other.
enum class Operation : std::uint8_t { copy, cast, decimal, date, codes, join, constant };

// JSON representation of a scalar for casts.
enum class ScalarType : std::uint8_t { string, integer, boolean };

// How a decimal appears on one side.
enum class DecimalForm : std::uint8_t {
  string,       // "123.45"
  integer,      // 123 (the value itself; scale 0)
  minor_units,  // 12345 for 123.45 at scale 2
};

struct DecimalRule {
  int precision = dec::Decimal::kMaxDigits;  // total digits on the system side
  int scale = 0;                             // fraction digits on the system side
  int canonical_scale = -1;                  // scale of the canonical value written; -1 = scale
  bool is_signed = true;
  dec::Rounding rounding = dec::Rounding::unnecessary;
  DecimalForm canonical_form = DecimalForm::string;
  DecimalForm system_form = DecimalForm::string;
};

struct DateRule {
  DateFormat canonical = DateFormat::iso_date;
  DateFormat system = DateFormat::ccyymmdd;
  int pivot_year = 0;
  bool system_as_integer = false;  // write the digits as a JSON integer (a PIC 9(8) column)
};

struct CodeRule {
  // Parallel arrays: canonical_codes[i] ↔ system_codes[i]. Small; scanned linearly.
  std::vector<boost::json::value> canonical_codes;
  std::vector<boost::json::value> system_codes;
  std::optional<boost::json::value> default_system;     // for a canonical code not in the table
  std::optional<boost::json::value> default_canonical;  // for a system code not in the table
};

// concat (many canonical → one system) / split (one canonical → many system).
struct JoinRule {
  std::string separator;    // empty when widths are used
  std::vector<int> widths;  // fixed-width pieces (padded right with spaces, trimmed on split)
};

enum class ConditionKind : std::uint8_t { equals, not_equals, exists, absent, in, not_in };

struct Condition {
  Side side = Side::canonical;
  JsonPath path;
  ConditionKind kind = ConditionKind::exists;
  std::vector<boost::json::value> values;  // one for equals/not_equals; the set for in/not_in
};

struct Step {
  int index = 0;
  std::string target_label;  // "system /ARR-AMOUNT"
  bool to_system = true;
  bool to_canonical = true;

  Operation operation = Operation::copy;
  std::vector<JsonPath> canonical;  // usually one; several for concat
  std::vector<JsonPath> system;     // usually one; several for split

  std::optional<Condition> when;
  bool optional = false;
  std::optional<boost::json::value> default_system;
  std::optional<boost::json::value> default_canonical;
  std::optional<std::string> absent_as;  // system-side text meaning "no value"

  std::optional<TextLayout> text;  // fixed width on the system side
  std::size_t max_length = 0;      // from a record layout: longest text allowed (0 = no limit)
  Charset charset = Charset::utf8;
  std::string code_page;  // when charset == code_page

  ScalarType cast_canonical = ScalarType::string;
  ScalarType cast_system = ScalarType::string;
  DecimalRule decimal;
  DateRule date;
  CodeRule codes;
  JoinRule join;
  boost::json::value constant;
  Side constant_side = Side::system;
};

// The output record of one direction laid out at load: every output path in step order, holding
// null. apply() copies it (Boost.JSON's copy needs no key look-ups) and stores each
// value by position instead of inserting by key, which is what building an object costs most (find
// + insert per member). Used only when every output path is written by one rule, so the member
// order is the one inserting in step order gives.
struct OutputTemplate {
  bool usable = false;  // false: outputs are built by key (conditional alternatives share a path)
  bool flat = true;     // every output is a top-level member (slot i is member i)
  boost::json::object record;                         // the layout, each output holding null
  std::vector<const JsonPath*> paths;                 // slot → its output path
  std::vector<std::vector<std::uint32_t>> positions;  // slot → member index at each level
};

struct Plan {
  std::string name;
  std::string source;
  std::string canonical_schema;
  std::vector<Step> steps;
  std::vector<const Step*> to_system_steps;  // in file order
  std::vector<const Step*> to_canonical_steps;
  std::size_t to_system_top_level = 0;  // distinct top-level output members (reserve)
  std::size_t to_canonical_top_level = 0;
  std::uint32_t hint_count = 0;  // member-position hints for input look-ups (JsonPath::find)
  OutputTemplate to_system_template;
  OutputTemplate to_canonical_template;
};

}  // namespace coregate::mapping::detail
