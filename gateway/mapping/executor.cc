// Runs a compiled Plan on one record. Hot path: no look at the mapping's JSON, paths are
// pre-split, output objects are reserved once, and values stay in Boost.JSON's small-string
// buffers where they fit.
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cstring>

#include "gateway/mapping/compiler.h"
#include "gateway/mapping/plan.h"

namespace coregate::mapping {
namespace {

namespace json = boost::json;
using detail::DecimalForm;
using detail::Operation;
using detail::Plan;
using detail::ScalarType;
using detail::Side;
using detail::Step;
namespace dec = coregate::codecs::decimal;

std::string quote(std::string_view text) {
  std::string out = "'";
  if (text.size() > 64) {
    out.append(text.substr(0, 61));
    out += "...";
  } else {
    out.append(text);
  }
  return out + "'";
}

std::string show(const json::value& v) {
  if (v.is_string()) return quote(v.get_string());
  std::string text = json::serialize(v);
  return text.size() > 64 ? text.substr(0, 61) + "..." : text;
}

std::string_view kind_word(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "an integer";
    case json::kind::double_:
      return "a floating-point number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "?";
}

bool parse_int64(std::string_view text, std::int64_t& out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

class Run {
 public:
  Run(const json::value& input, Direction direction, const json::storage_ptr& storage,
      MapResult& result)
      : input_(input),
        to_system_(direction == Direction::to_system),
        storage_(storage),
        result_(result),
        output_(result.output.get_object()) {}

  void step(const Step& s) {
    step_ = &s;
    input_path_ = nullptr;
    if (s.operation == Operation::constant) {
      emit(s, output_paths().front(), json::value(s.constant, storage_));
      return;
    }
    if (s.when && !condition_holds(*s.when)) return;
    if (s.operation == Operation::join) {
      const bool joining = to_system_ ? s.canonical.size() > 1 : s.system.size() > 1;
      joining ? join(s) : split(s);
      return;
    }
    const JsonPath& in = input_paths().front();
    input_path_ = &in;
    const json::value* value = in.find(input_);
    if (value && value->is_null()) value = nullptr;

    // Reading from the system: strip fixed-width padding, and recognise "no value" sentinels.
    json::value trimmed;
    if (value && !to_system_ && value->is_string()) {
      std::string_view text = value->get_string();
      std::string_view stripped = s.text ? trim_padding(text, *s.text) : text;
      if (s.absent_as && (stripped == *s.absent_as ||
                          (s.text && stripped == trim_padding(*s.absent_as, *s.text)))) {
        value = nullptr;
      } else if (stripped.size() != text.size()) {
        trimmed = json::string(stripped, storage_);
        value = &trimmed;
      }
    }
    if (!value) {
      missing(s, in);
      return;
    }
    json::value out;
    if (!convert(s, *value, out)) return;
    emit(s, output_paths().front(), std::move(out));
  }

 private:
  const std::vector<JsonPath>& input_paths() const {
    return to_system_ ? step_->canonical : step_->system;
  }
  const std::vector<JsonPath>& output_paths() const {
    return to_system_ ? step_->system : step_->canonical;
  }

  void fail(MapErrorCode code, std::string message, const JsonPath* path = nullptr) {
    if (result_.errors.size() >= kMaxMapErrors) return;
    if (!path) path = input_path_;
    result_.errors.push_back(MapError{code, path ? path->text() : std::string(), step_->index,
                                      (to_system_ ? "system " : "canonical ") +
                                          output_paths().front().text() +
                                          (output_paths().size() > 1 ? ",..." : ""),
                                      std::move(message)});
  }

  bool condition_holds(const detail::Condition& c) const {
    const json::value* v = c.path.find(input_);
    if (v && v->is_null()) v = nullptr;
    auto in_set = [&] {
      for (const auto& candidate : c.values) {
        if (*v == candidate) return true;
      }
      return false;
    };
    switch (c.kind) {
      case detail::ConditionKind::exists:
        return v != nullptr;
      case detail::ConditionKind::absent:
        return v == nullptr;
      case detail::ConditionKind::equals:
        return v && *v == c.values.front();
      case detail::ConditionKind::not_equals:
        return !v || *v != c.values.front();
      case detail::ConditionKind::in:
        return v && in_set();
      case detail::ConditionKind::not_in:
        return !v || !in_set();
    }
    return false;
  }

  void missing(const Step& s, const JsonPath& in) {
    if (to_system_) {
      if (s.default_system) {
        emit(s, output_paths().front(), json::value(*s.default_system, storage_));
        return;
      }
      if (s.absent_as) {
        emit(s, output_paths().front(), json::string(*s.absent_as, storage_));
        return;
      }
    } else if (s.default_canonical) {
      emit(s, output_paths().front(), json::value(*s.default_canonical, storage_));
      return;
    }
    if (s.optional || (!to_system_ && s.absent_as)) return;
    fail(MapErrorCode::missing_source,
         "required value " + in.text() + " is missing from the " +
             (to_system_ ? "canonical" : "system") +
             " record (mark the rule \"optional\" or give a \"default\")",
         &in);
  }

  // ---- operations -------------------------------------------------------------------------

  bool convert(const Step& s, const json::value& in, json::value& out) {
    switch (s.operation) {
      case Operation::copy:
        out = json::value(in, storage_);
        return true;
      case Operation::cast:
        return cast(s, in, out);
      case Operation::decimal:
        return decimal(s, in, out);
      case Operation::date:
        return date(s, in, out);
      case Operation::codes:
        return codes(s, in, out);
      case Operation::join:
      case Operation::constant:
        break;
    }
    return false;
  }

  bool cast(const Step& s, const json::value& in, json::value& out) {
    const ScalarType from = to_system_ ? s.cast_canonical : s.cast_system;
    const ScalarType to = to_system_ ? s.cast_system : s.cast_canonical;
    static constexpr std::string_view kNames[] = {"string", "integer", "boolean"};
    const bool type_ok = (from == ScalarType::string && in.is_string()) ||
                         (from == ScalarType::integer && (in.is_int64() || in.is_uint64())) ||
                         (from == ScalarType::boolean && in.is_bool());
    if (!type_ok) {
      fail(MapErrorCode::wrong_type, "expected " + std::string(kNames[static_cast<int>(from)]) +
                                         ", got " + std::string(kind_word(in)) + " " + show(in));
      return false;
    }
    if (from == to) {
      out = json::value(in, storage_);
      return true;
    }
    switch (from) {
      case ScalarType::string: {
        std::string_view text = in.get_string();
        if (to == ScalarType::integer) {
          std::int64_t n;
          if (!parse_int64(text, n)) {
            fail(MapErrorCode::invalid_number, quote(text) + " is not a whole number");
            return false;
          }
          out = n;
          return true;
        }
        if (text == "true" || text == "false") {
          out = text == "true";
          return true;
        }
        fail(MapErrorCode::wrong_type, quote(text) + " is not 'true' or 'false'");
        return false;
      }
      case ScalarType::integer: {
        if (to == ScalarType::string) {
          char buffer[24];
          auto [end, ec] = in.is_int64()
                               ? std::to_chars(buffer, buffer + sizeof buffer, in.get_int64())
                               : std::to_chars(buffer, buffer + sizeof buffer, in.get_uint64());
          out = json::string(std::string_view(buffer, static_cast<std::size_t>(end - buffer)),
                             storage_);
          return true;
        }
        const bool one = in.is_int64() ? in.get_int64() == 1 : in.get_uint64() == 1;
        const bool zero = in.is_int64() ? in.get_int64() == 0 : in.get_uint64() == 0;
        if (!one && !zero) {
          fail(MapErrorCode::wrong_type, show(in) + " is not 0 or 1");
          return false;
        }
        out = one;
        return true;
      }
      case ScalarType::boolean:
        if (to == ScalarType::string) {
          out = json::string(in.get_bool() ? "true" : "false", storage_);
        } else {
          out = std::int64_t{in.get_bool() ? 1 : 0};
        }
        return true;
    }
    return false;
  }

  bool read_decimal(const json::value& in, DecimalForm form, int scale, dec::Decimal& out) {
    if (in.is_double()) {
      fail(MapErrorCode::invalid_number,
           "binary floating-point number " + show(in) +
               " refused: exact amounts travel as decimal strings or integer minor units");
      return false;
    }
    if (in.is_string()) {
      std::string_view text = in.get_string();
      if (form == DecimalForm::minor_units) {
        std::int64_t units;
        if (!parse_int64(text, units)) {
          fail(MapErrorCode::invalid_number, quote(text) + " is not a whole number of minor units");
          return false;
        }
        out = dec::Decimal::from_minor_units(units, scale).value;
        return true;
      }
      auto parsed = dec::Decimal::parse(text);
      if (!parsed) {
        fail(MapErrorCode::invalid_number,
             quote(text) + " is not a decimal number: " + std::string(describe(parsed.error)));
        return false;
      }
      out = parsed.value;
      return true;
    }
    if (in.is_int64() || in.is_uint64()) {
      dec::Decimal value = in.is_int64() ? dec::Decimal::from_integer(in.get_int64())
                                         : dec::Decimal::from_unsigned(in.get_uint64()).value;
      if (form == DecimalForm::minor_units) {
        auto scaled = dec::Decimal::from_coefficient(value.coefficient(), scale);
        value = scaled.value;
      }
      out = value;
      return true;
    }
    fail(MapErrorCode::wrong_type, "expected a decimal, got " + std::string(kind_word(in)));
    return false;
  }

  bool write_decimal(const dec::Decimal& value, DecimalForm form, json::value& out) {
    if (form == DecimalForm::string) {
      std::string text;  // fits the small-string buffer for everyday amounts
      value.append_to(text);
      out = json::string(text, storage_);
      return true;
    }
    // integer (scale 0) and minor units both carry the coefficient at the current scale.
    auto units = value.to_minor_units(value.scale(), dec::Rounding::unnecessary);
    if (!units) {
      fail(MapErrorCode::decimal_overflow,
           value.to_string() + " does not fit a 64-bit integer" +
               (form == DecimalForm::minor_units ? " of minor units" : ""));
      return false;
    }
    out = units.value;
    return true;
  }

  bool decimal(const Step& s, const json::value& in, json::value& out) {
    const detail::DecimalRule& d = s.decimal;
    const int canonical_scale = d.canonical_scale >= 0 ? d.canonical_scale : d.scale;
    dec::Decimal value;
    if (to_system_) {
      if (!read_decimal(in, d.canonical_form, canonical_scale, value)) return false;
      auto scaled = value.rescale(d.scale, d.rounding);
      if (!scaled) {
        if (scaled.error == dec::Errc::inexact) {
          fail(MapErrorCode::rounding_required,
               value.to_string() + " has more than " + std::to_string(d.scale) +
                   " decimal places and the rule's rounding is 'unnecessary' (name a rounding "
                   "mode such as half_even to allow it)");
        } else {
          fail(MapErrorCode::decimal_overflow,
               value.to_string() + " cannot be scaled to " + std::to_string(d.scale) +
                   " decimal places: " + std::string(describe(scaled.error)));
        }
        return false;
      }
      if (!d.is_signed && scaled.value.sign() < 0) {
        fail(MapErrorCode::negative_unsigned,
             value.to_string() + " is negative but the system field is unsigned");
        return false;
      }
      const int integer_room = d.precision - d.scale;
      if (scaled.value.integer_digits() > integer_room) {
        fail(MapErrorCode::decimal_overflow,
             value.to_string() + " needs " + std::to_string(scaled.value.integer_digits()) +
                 " integer digits; the system field holds " + std::to_string(integer_room) +
                 " (precision " + std::to_string(d.precision) + ", scale " +
                 std::to_string(d.scale) + ", like PIC " + (d.is_signed ? "S" : "") + "9(" +
                 std::to_string(integer_room) + ")" +
                 (d.scale > 0 ? "V9(" + std::to_string(d.scale) + ")" : "") + ")");
        return false;
      }
      return write_decimal(scaled.value, d.system_form, out);
    }
    if (!read_decimal(in, d.system_form, d.scale, value)) return false;
    if (value.integer_digits() > d.precision - d.scale) {
      fail(MapErrorCode::decimal_overflow,
           value.to_string() + " has more integer digits than the system field's precision " +
               std::to_string(d.precision) + " allows");
      return false;
    }
    auto scaled = value.rescale(canonical_scale, d.rounding);
    if (!scaled) {
      fail(scaled.error == dec::Errc::inexact ? MapErrorCode::rounding_required
                                              : MapErrorCode::decimal_overflow,
           value.to_string() + " cannot be written with " + std::to_string(canonical_scale) +
               " decimal places: " + std::string(describe(scaled.error)));
      return false;
    }
    return write_decimal(scaled.value, d.canonical_form, out);
  }

  bool date(const Step& s, const json::value& in, json::value& out) {
    const DateFormat from = to_system_ ? s.date.canonical : s.date.system;
    const DateFormat to = to_system_ ? s.date.system : s.date.canonical;
    char digits[24];
    std::string_view text;
    if (in.is_string()) {
      text = in.get_string();
    } else if ((in.is_int64() || in.is_uint64()) && digit_width(from) > 0) {
      // A numeric column drops leading zeros: 0010101 (CCYYDDD) arrives as 10101.
      const int width = digit_width(from);
      auto [end, ec] = in.is_int64()
                           ? std::to_chars(digits, digits + sizeof digits, in.get_int64())
                           : std::to_chars(digits, digits + sizeof digits, in.get_uint64());
      const auto length = static_cast<int>(end - digits);
      if (length > width || digits[0] == '-') {
        fail(MapErrorCode::invalid_date,
             show(in) + " is not a date in format " + std::string(date_format_name(from)));
        return false;
      }
      std::memmove(digits + (width - length), digits, static_cast<std::size_t>(length));
      std::memset(digits, '0', static_cast<std::size_t>(width - length));
      text = std::string_view(digits, static_cast<std::size_t>(width));
    } else {
      fail(MapErrorCode::wrong_type, "expected a date string, got " + std::string(kind_word(in)));
      return false;
    }
    Timestamp moment;
    DateProblem problem;
    std::string formatted;
    if (!parse_date(text, from, s.date.pivot_year, moment, problem) ||
        !format_date(moment, to, s.date.pivot_year, formatted, problem)) {
      fail(problem.code, problem.message);
      return false;
    }
    if (to_system_ && s.date.system_as_integer) {
      std::int64_t n = 0;
      (void)parse_int64(formatted, n);  // all digits by construction
      out = n;
    } else {
      out = json::string(formatted, storage_);
    }
    return true;
  }

  bool codes(const Step& s, const json::value& in, json::value& out) {
    const auto& from = to_system_ ? s.codes.canonical_codes : s.codes.system_codes;
    const auto& to = to_system_ ? s.codes.system_codes : s.codes.canonical_codes;
    for (std::size_t i = 0; i < from.size(); ++i) {
      if (from[i] == in) {
        out = json::value(to[i], storage_);
        return true;
      }
    }
    const auto& fallback = to_system_ ? s.codes.default_system : s.codes.default_canonical;
    if (fallback) {
      out = json::value(*fallback, storage_);
      return true;
    }
    std::string known;
    for (std::size_t i = 0; i < from.size() && i < 12; ++i) {
      known += (known.empty() ? "" : ", ") + show(from[i]);
    }
    if (from.size() > 12) known += ", ...";
    fail(MapErrorCode::unknown_code,
         "unknown " + std::string(to_system_ ? "canonical" : "system") + " code " + show(in) +
             " (known: " + known + "; add it to the table or give a \"" +
             (to_system_ ? "default_system" : "default_canonical") + "\")");
    return false;
  }

  // Many inputs → one output string.
  void join(const Step& s) {
    const auto& inputs = input_paths();
    const bool reversible = s.to_system && s.to_canonical;
    std::string joined;
    std::string piece;
    std::size_t present = 0;
    bool ok = true;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const json::value* v = inputs[i].find(input_);
      std::string_view text;
      char digits[24];
      if (v && v->is_string()) {
        text = v->get_string();
      } else if (v && v->is_int64()) {
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v->get_int64());
        text = std::string_view(digits, static_cast<std::size_t>(end - digits));
      } else if (v && !v->is_null()) {
        fail(MapErrorCode::wrong_type, "expected text, got " + std::string(kind_word(*v)),
             &inputs[i]);
        ok = false;
        continue;
      } else if (!s.optional) {
        fail(MapErrorCode::missing_source,
             "required value " + inputs[i].text() +
                 " is missing (mark the rule \"optional\" "
                 "to treat it as empty)",
             &inputs[i]);
        ok = false;
        continue;
      }
      if (v && !v->is_null()) ++present;
      if (s.join.widths.empty()) {
        if (reversible && i + 1 < inputs.size() &&
            text.find(s.join.separator) != std::string_view::npos) {
          fail(MapErrorCode::split_mismatch,
               quote(text) + " contains the separator " + quote(s.join.separator) +
                   ", so splitting it back would not return it",
               &inputs[i]);
          ok = false;
          continue;
        }
        if (i > 0) joined += s.join.separator;
        joined.append(text);
      } else {
        TextLayout layout;
        layout.width = s.join.widths[i];
        if (fit_to_width(text, layout, piece) == FitOutcome::too_long) {
          fail(MapErrorCode::too_long,
               quote(text) + " is " + std::to_string(count_code_points(text)) +
                   " characters; its piece is " + std::to_string(layout.width) + " wide",
               &inputs[i]);
          ok = false;
          continue;
        }
        joined += piece;
      }
    }
    if (!ok || present == 0) return;  // all parts absent: an optional rule writes nothing
    emit(s, output_paths().front(), json::string(joined, storage_));
  }

  // One input string → many outputs.
  void split(const Step& s) {
    const JsonPath& in = input_paths().front();
    input_path_ = &in;
    const json::value* v = in.find(input_);
    if (!v || v->is_null()) {
      if (!s.optional) {
        fail(MapErrorCode::missing_source, "required value " + in.text() + " is missing", &in);
      }
      return;
    }
    if (!v->is_string()) {
      fail(MapErrorCode::wrong_type, "expected text to split, got " + std::string(kind_word(*v)));
      return;
    }
    std::string_view text = v->get_string();
    const auto& outputs = output_paths();
    std::vector<std::string_view> parts;
    parts.reserve(outputs.size());
    if (s.join.widths.empty()) {
      // The last part takes the rest, so "Anna Maria|Smith" style values keep their separators.
      std::string_view rest = text;
      for (std::size_t i = 0; i + 1 < outputs.size(); ++i) {
        const std::size_t at = rest.find(s.join.separator);
        if (at == std::string_view::npos) {
          fail(MapErrorCode::split_mismatch, quote(text) + " has " + std::to_string(i + 1) +
                                                 " part(s) separated by " +
                                                 quote(s.join.separator) + "; the rule expects " +
                                                 std::to_string(outputs.size()));
          return;
        }
        parts.push_back(rest.substr(0, at));
        rest.remove_prefix(at + s.join.separator.size());
      }
      parts.push_back(rest);
    } else {
      std::size_t offset = 0;  // bytes
      std::size_t total = 0;
      for (int w : s.join.widths) total += static_cast<std::size_t>(w);
      if (count_code_points(text) > total) {
        fail(MapErrorCode::split_mismatch,
             quote(text) + " is " + std::to_string(count_code_points(text)) +
                 " characters; the pieces add up to " + std::to_string(total));
        return;
      }
      for (int w : s.join.widths) {
        std::size_t end = offset;
        for (int n = 0; n < w && end < text.size(); ++n) {
          ++end;
          while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        }
        std::string_view piece = text.substr(offset, end - offset);
        while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
        parts.push_back(piece);
        offset = end;
      }
    }
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      if (parts[i].empty() && s.optional) continue;
      emit(s, outputs[i], json::string(parts[i], storage_));
    }
  }

  // ---- output -----------------------------------------------------------------------------

  void emit(const Step& s, const JsonPath& path, json::value&& value) {
    if (to_system_ && (s.text || s.charset != Charset::utf8 || s.max_length != 0) &&
        !system_text(s, value)) {
      return;
    }
    if (!path.assign(output_, std::move(value))) {
      fail(MapErrorCode::wrong_type,
           "cannot write " + path.text() + ": a value on its way is not an object");
    }
  }

  // Fixed width, layout length and character set for a value bound for the system.
  bool system_text(const Step& s, json::value& value) {
    if (s.text && (value.is_int64() || value.is_uint64())) {
      char buffer[24];
      auto [end, ec] = value.is_int64()
                           ? std::to_chars(buffer, buffer + sizeof buffer, value.get_int64())
                           : std::to_chars(buffer, buffer + sizeof buffer, value.get_uint64());
      value =
          json::string(std::string_view(buffer, static_cast<std::size_t>(end - buffer)), storage_);
    }
    if (!value.is_string()) {
      if (s.text) {
        fail(MapErrorCode::wrong_type,
             "fixed-width text needs a string or an integer, got " + std::string(kind_word(value)));
        return false;
      }
      return true;
    }
    if (s.text) {
      std::string_view text = value.get_string();
      if (fit_to_width(text, *s.text, scratch_) == FitOutcome::too_long) {
        fail(MapErrorCode::too_long,
             quote(text) + " is " + std::to_string(count_code_points(text)) +
                 " characters; the system field is " + std::to_string(s.text->width) +
                 " wide (set \"truncate\": true in \"text\" to cut it)");
        return false;
      }
      value.get_string().assign(scratch_);
    }
    std::string_view text = value.get_string();
    if (s.max_length != 0 && count_code_points(text) > s.max_length) {
      fail(MapErrorCode::too_long, quote(text) + " is " + std::to_string(count_code_points(text)) +
                                       " characters; the layout's field holds " +
                                       std::to_string(s.max_length));
      return false;
    }
    if (s.charset == Charset::code_page) {
      std::string problem = detail::code_page_problem(text, s.code_page);
      if (!problem.empty()) {
        fail(MapErrorCode::unrepresentable_character, problem + " (value " + quote(text) + ")");
        return false;
      }
    } else if (auto bad = find_unrepresentable(text, s.charset)) {
      fail(MapErrorCode::unrepresentable_character,
           describe_code_point(bad->code_point) + " at character " +
               std::to_string(bad->position + 1) + " of " + quote(text) +
               (s.charset == Charset::ascii
                    ? " is not printable ASCII"
                    : " cannot be written to an EBCDIC field (charset ebcdic allows only "
                      "characters every EBCDIC code page shares: A-Z a-z 0-9 space "
                      "+<=>%&*\"'(),_-./:;?)"));
      return false;
    }
    return true;
  }

  const json::value& input_;
  const bool to_system_;
  const json::storage_ptr& storage_;
  MapResult& result_;
  json::object& output_;
  const Step* step_ = nullptr;
  const JsonPath* input_path_ = nullptr;
  std::string scratch_;
};

}  // namespace

MapResult CompiledMapping::apply(const json::value& input, Direction direction,
                                 json::storage_ptr storage) const {
  MapResult result;
  result.output = json::object(storage);
  const Plan& plan = *plan_;
  const bool to_system = direction == Direction::to_system;
  result.output.get_object().reserve(to_system ? plan.to_system_top_level
                                               : plan.to_canonical_top_level);
  if (!input.is_object()) {
    result.errors.push_back(
        MapError{MapErrorCode::wrong_type, "", -1, "",
                 "the input record must be a JSON object, not " + std::string(kind_word(input))});
    return result;
  }
  Run run(input, direction, storage, result);
  for (const Step* step : to_system ? plan.to_system_steps : plan.to_canonical_steps) {
    run.step(*step);
  }
  result.ok = result.errors.empty();
  return result;
}

}  // namespace coregate::mapping
