// Runs a compiled Plan on one record. Hot path: no look at the mapping's JSON, paths are
// pre-split, output objects are reserved once, and values stay in Boost.JSON's small-string
// buffers where they fit.
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cstring>

#include "gateway/mapping/compiler.h"
#include "gateway/mapping/json_kind.h"
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

bool parse_int64(std::string_view text, std::int64_t& out) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// What an operation produced, before it is stored in the output. Text points into the input
// record, the plan, or a per-thread scratch buffer, so nothing is copied until the one
// construction inside the output object.
struct Produced {
  enum class Kind : std::uint8_t { text, integer, unsigned_integer, boolean, value };
  Kind kind = Kind::value;
  // Known to be representable in any charset: digits and ASCII punctuation an operation wrote, or
  // text from the plan, which the compiler checked against the rule's charset at load.
  bool charset_safe = false;
  std::string_view text;
  union {  // which member is live follows `kind`; small so passing it around stays cheap
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer;
    bool boolean;
    const json::value* value;
  };

  Produced&& safe() && {
    charset_safe = true;
    return std::move(*this);
  }

  static Produced of_text(std::string_view t) {
    Produced p;
    p.kind = Kind::text;
    p.text = t;
    return p;
  }
  static Produced of_integer(std::int64_t n) {
    Produced p;
    p.kind = Kind::integer;
    p.integer = n;
    return p;
  }
  static Produced of_boolean(bool b) {
    Produced p;
    p.kind = Kind::boolean;
    p.boolean = b;
    return p;
  }
  // A string value becomes text so fixed-width and charset rules see it.
  static Produced of_value(const json::value& v) {
    if (v.is_string()) return of_text(v.get_string());
    if (v.is_int64()) return of_integer(v.get_int64());
    Produced p;
    if (v.is_uint64()) {
      p.kind = Kind::unsigned_integer;
      p.unsigned_integer = v.get_uint64();
      return p;
    }
    p.kind = Kind::value;
    p.value = &v;
    return p;
  }
};

// Per-thread buffers reused across records: apply() allocates for text only when a value
// outgrows every earlier one on this thread.
struct Scratch {
  std::string operation;                // text an operation built (decimal, date, cast, concat)
  std::string fitted;                   // the same after fixed-width padding
  std::vector<unsigned char> produced;  // output template slots written by this record
};
Scratch& thread_scratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Per-thread member-position hints for the plan this thread ran last. Keyed by the plan's
// address; a stale entry is harmless because every hint is verified before use.
std::uint32_t* thread_hints(const Plan& plan) {
  thread_local const Plan* owner = nullptr;
  thread_local std::vector<std::uint32_t> hints;
  if (owner != &plan || hints.size() < plan.hint_count) {
    owner = &plan;
    hints.assign(plan.hint_count, 0);
  }
  return hints.data();
}

class Run {
 public:
  // `layout`: the direction's output template when result.output is a copy of its record (values
  // are then stored by slot), else null (values are inserted by key).
  Run(const json::value& input, Direction direction, MapResult& result, std::uint32_t* hints,
      const detail::OutputTemplate* layout)
      : input_(input),
        hints_(hints),
        to_system_(direction == Direction::to_system),
        result_(result),
        output_(result.output.get_object()),
        scratch_(thread_scratch()),
        layout_(layout) {
    if (layout_) scratch_.produced.assign(layout_->paths.size(), 0);
  }

  // Outputs stored in the template's slots.
  std::size_t produced_count() const { return produced_; }

  void step(const Step& s) {
    step_ = &s;
    input_path_ = nullptr;
    if (s.when && !condition_holds(*s.when)) return;
    if (s.operation == Operation::constant) {
      emit(s, output_paths().front(), Produced::of_value(s.constant).safe());
      return;
    }
    if (s.operation == Operation::join) {
      const bool joining = to_system_ ? s.canonical.size() > 1 : s.system.size() > 1;
      joining ? join(s) : split(s);
      return;
    }
    const JsonPath& in = input_paths().front();
    input_path_ = &in;
    const json::value* value = in.find(input_, hints_);
    if (value && value->is_null()) value = nullptr;

    // Reading from the system: strip fixed-width padding, and recognise "no value" sentinels.
    std::string_view text;
    if (value && value->is_string()) {
      text = value->get_string();
      if (!to_system_) {
        std::string_view stripped = s.text ? trim_padding(text, *s.text) : text;
        if (s.absent_as && (stripped == *s.absent_as ||
                            (s.text && stripped == trim_padding(*s.absent_as, *s.text)))) {
          value = nullptr;
        }
        text = stripped;
      }
    }
    if (!value) {
      missing(s, in);
      return;
    }
    Produced out;
    if (!convert(s, *value, text, out)) return;
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

  bool condition_holds(const detail::Condition& c) {
    const json::value* v = c.path.find(input_, hints_);
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
        emit(s, output_paths().front(), Produced::of_value(*s.default_system).safe());
        return;
      }
      if (s.absent_as) {
        emit(s, output_paths().front(), Produced::of_text(*s.absent_as).safe());
        return;
      }
    } else if (s.default_canonical) {
      emit(s, output_paths().front(), Produced::of_value(*s.default_canonical));
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
  // `text` is the input's text (padding already trimmed when reading a system record); it is
  // meaningful only when `in` is a string.

  bool convert(const Step& s, const json::value& in, std::string_view text, Produced& out) {
    switch (s.operation) {
      case Operation::copy:
        out = in.is_string() ? Produced::of_text(text) : Produced::of_value(in);
        return true;
      case Operation::cast:
        return cast(s, in, text, out);
      case Operation::decimal:
        return decimal(s, in, text, out);
      case Operation::date:
        return date(s, in, text, out);
      case Operation::codes:
        return codes(s, in, text, out);
      case Operation::join:
      case Operation::constant:
        break;
    }
    return false;
  }

  std::string_view integer_text(const json::value& in) {
    char buffer[24];
    auto [end, ec] = in.is_int64() ? std::to_chars(buffer, buffer + sizeof buffer, in.get_int64())
                                   : std::to_chars(buffer, buffer + sizeof buffer, in.get_uint64());
    scratch_.operation.assign(buffer, static_cast<std::size_t>(end - buffer));
    return scratch_.operation;
  }

  bool cast(const Step& s, const json::value& in, std::string_view text, Produced& out) {
    const ScalarType from = to_system_ ? s.cast_canonical : s.cast_system;
    const ScalarType to = to_system_ ? s.cast_system : s.cast_canonical;
    static constexpr std::string_view kNames[] = {"string", "integer", "boolean"};
    const bool type_ok = (from == ScalarType::string && in.is_string()) ||
                         (from == ScalarType::integer && (in.is_int64() || in.is_uint64())) ||
                         (from == ScalarType::boolean && in.is_bool());
    if (!type_ok) {
      fail(MapErrorCode::wrong_type, "expected " + std::string(kNames[static_cast<int>(from)]) +
                                         ", got " + std::string(json_kind_name(in)) + " " +
                                         show(in));
      return false;
    }
    if (from == to) {
      out = in.is_string() ? Produced::of_text(text) : Produced::of_value(in);
      return true;
    }
    switch (from) {
      case ScalarType::string: {
        if (to == ScalarType::integer) {
          std::int64_t n;
          if (!parse_int64(text, n)) {
            fail(MapErrorCode::invalid_number, quote(text) + " is not a whole number");
            return false;
          }
          out = Produced::of_integer(n);
          return true;
        }
        if (text == "true" || text == "false") {
          out = Produced::of_boolean(text == "true");
          return true;
        }
        fail(MapErrorCode::wrong_type, quote(text) + " is not 'true' or 'false'");
        return false;
      }
      case ScalarType::integer: {
        if (to == ScalarType::string) {
          out = Produced::of_text(integer_text(in)).safe();
          return true;
        }
        const bool one = in.is_int64() ? in.get_int64() == 1 : in.get_uint64() == 1;
        const bool zero = in.is_int64() ? in.get_int64() == 0 : in.get_uint64() == 0;
        if (!one && !zero) {
          fail(MapErrorCode::wrong_type, show(in) + " is not 0 or 1");
          return false;
        }
        out = Produced::of_boolean(one);
        return true;
      }
      case ScalarType::boolean:
        out = to == ScalarType::string ? Produced::of_text(in.get_bool() ? "true" : "false").safe()
                                       : Produced::of_integer(in.get_bool() ? 1 : 0);
        return true;
    }
    return false;
  }

  bool read_decimal(const json::value& in, std::string_view text, DecimalForm form, int scale,
                    dec::Decimal& out) {
    if (in.is_double()) {
      fail(MapErrorCode::invalid_number,
           "binary floating-point number " + show(in) +
               " refused: exact amounts travel as decimal strings or integer minor units");
      return false;
    }
    if (in.is_string()) {
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
        value = dec::Decimal::from_coefficient(value.coefficient(), scale).value;
      }
      out = value;
      return true;
    }
    fail(MapErrorCode::wrong_type, "expected a decimal, got " + std::string(json_kind_name(in)));
    return false;
  }

  bool write_decimal(const dec::Decimal& value, DecimalForm form, Produced& out) {
    if (form == DecimalForm::string) {
      scratch_.operation.clear();
      value.append_to(scratch_.operation);
      out = Produced::of_text(scratch_.operation).safe();
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
    out = Produced::of_integer(units.value);
    return true;
  }

  bool decimal(const Step& s, const json::value& in, std::string_view text, Produced& out) {
    const detail::DecimalRule& d = s.decimal;
    const int canonical_scale = d.canonical_scale >= 0 ? d.canonical_scale : d.scale;
    dec::Decimal value;
    if (to_system_) {
      if (!read_decimal(in, text, d.canonical_form, canonical_scale, value)) return false;
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
    if (!read_decimal(in, text, d.system_form, d.scale, value)) return false;
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

  bool date(const Step& s, const json::value& in, std::string_view text, Produced& out) {
    const DateFormat from = to_system_ ? s.date.canonical : s.date.system;
    const DateFormat to = to_system_ ? s.date.system : s.date.canonical;
    char digits[24];
    if (in.is_string()) {
      // `text` already set
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
      fail(MapErrorCode::wrong_type,
           "expected a date string, got " + std::string(json_kind_name(in)));
      return false;
    }
    Timestamp moment;
    DateProblem problem;
    if (!parse_date(text, from, s.date.pivot_year, moment, problem) ||
        !format_date(moment, to, s.date.pivot_year, scratch_.operation, problem)) {
      fail(problem.code, problem.message);
      return false;
    }
    if (to_system_ && s.date.system_as_integer) {
      std::int64_t n = 0;
      (void)parse_int64(scratch_.operation, n);  // all digits by construction
      out = Produced::of_integer(n);
    } else {
      out = Produced::of_text(scratch_.operation).safe();
    }
    return true;
  }

  bool codes(const Step& s, const json::value& in, std::string_view text, Produced& out) {
    const auto& from = to_system_ ? s.codes.canonical_codes : s.codes.system_codes;
    const auto& to = to_system_ ? s.codes.system_codes : s.codes.canonical_codes;
    for (std::size_t i = 0; i < from.size(); ++i) {
      const bool same = in.is_string()
                            ? (from[i].is_string() && same_text(from[i].get_string(), text))
                            : from[i] == in;
      if (same) {
        out = Produced::of_value(to[i]).safe();
        return true;
      }
    }
    const auto& fallback = to_system_ ? s.codes.default_system : s.codes.default_canonical;
    if (fallback) {
      out = Produced::of_value(*fallback).safe();
      return true;
    }
    std::string known;
    for (std::size_t i = 0; i < from.size() && i < 12; ++i) {
      known += (known.empty() ? "" : ", ") + show(from[i]);
    }
    if (from.size() > 12) known += ", ...";
    fail(MapErrorCode::unknown_code,
         "unknown " + std::string(to_system_ ? "canonical" : "system") + " code " +
             (in.is_string() ? quote(text) : show(in)) + " (known: " + known +
             "; add it to the table or give a \"" +
             (to_system_ ? "default_system" : "default_canonical") + "\")");
    return false;
  }

  // Many inputs → one output string.
  void join(const Step& s) {
    const auto& inputs = input_paths();
    const bool reversible = s.to_system && s.to_canonical;
    std::string& joined = scratch_.operation;
    joined.clear();
    std::string piece;
    std::size_t present = 0;
    bool ok = true;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const json::value* v = inputs[i].find(input_, hints_);
      std::string_view text;
      char digits[24];
      if (v && v->is_string()) {
        text = v->get_string();
      } else if (v && v->is_int64()) {
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v->get_int64());
        text = std::string_view(digits, static_cast<std::size_t>(end - digits));
      } else if (v && !v->is_null()) {
        fail(MapErrorCode::wrong_type, "expected text, got " + std::string(json_kind_name(*v)),
             &inputs[i]);
        ok = false;
        continue;
      } else if (!s.optional) {
        fail(MapErrorCode::missing_source,
             "required value " + inputs[i].text() +
                 " is missing (mark the rule \"optional\" to treat it as empty)",
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
    emit(s, output_paths().front(), Produced::of_text(joined));
  }

  // One input string → many outputs.
  void split(const Step& s) {
    const JsonPath& in = input_paths().front();
    input_path_ = &in;
    const json::value* v = in.find(input_, hints_);
    if (!v || v->is_null()) {
      if (!s.optional) {
        fail(MapErrorCode::missing_source, "required value " + in.text() + " is missing", &in);
      }
      return;
    }
    if (!v->is_string()) {
      fail(MapErrorCode::wrong_type,
           "expected text to split, got " + std::string(json_kind_name(*v)));
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
      emit(s, outputs[i], Produced::of_text(parts[i]));
    }
  }

  // ---- output -----------------------------------------------------------------------------

  void emit(const Step& s, const JsonPath& path, Produced&& value) {
    if (to_system_ && (s.text || s.charset != Charset::utf8 || s.max_length != 0) &&
        !system_text(s, value)) {
      return;
    }
    if (layout_) {
      store_in_slot(path.output_slot(), value);
      return;
    }
    bool stored = false;
    switch (value.kind) {
      case Produced::Kind::text:
        stored = path.assign(output_, json::string_view(value.text.data(), value.text.size()));
        break;
      case Produced::Kind::integer:
        stored = path.assign(output_, value.integer);
        break;
      case Produced::Kind::unsigned_integer:
        stored = path.assign(output_, value.unsigned_integer);
        break;
      case Produced::Kind::boolean:
        stored = path.assign(output_, value.boolean);
        break;
      case Produced::Kind::value:
        stored = path.assign(output_, *value.value);
        break;
    }
    if (!stored) {
      fail(MapErrorCode::wrong_type,
           "cannot write " + path.text() + ": a value on its way is not an object");
    }
  }

  // The template member of `slot` is replaced in place: no key look-up, no insertion. Every
  // member of the copied template already lives in the output's storage.
  void store_in_slot(std::uint32_t slot, const Produced& value) {
    json::value& target = slot_value(output_, layout_->positions[slot]);
    switch (value.kind) {
      case Produced::Kind::text:
        target.emplace_string().assign(json::string_view(value.text.data(), value.text.size()));
        break;
      case Produced::Kind::integer:
        target.emplace_int64() = value.integer;
        break;
      case Produced::Kind::unsigned_integer:
        target.emplace_uint64() = value.unsigned_integer;
        break;
      case Produced::Kind::boolean:
        target.emplace_bool() = value.boolean;
        break;
      case Produced::Kind::value:
        target = *value.value;
        break;
    }
    if (!scratch_.produced[slot]) {
      scratch_.produced[slot] = 1;
      ++produced_;
    }
  }

 public:
  // A record that did not write every output (optional or conditional rules, or errors): leaves
  // exactly what inserting the written values in step order would have built.
  void drop_unwritten() {
    const auto& produced = scratch_.produced;
    if (layout_->flat) {
      // Slot i is member i; erasing from the back keeps the earlier positions valid.
      for (std::size_t slot = produced.size(); slot-- > 0;) {
        if (!produced[slot]) output_.stable_erase(output_.begin() + slot);
      }
      return;
    }
    // Nested: a parent object's place depends on which of its members came first, so rebuild.
    json::object rebuilt(output_.storage());
    rebuilt.reserve(output_.size());
    for (std::size_t slot = 0; slot < produced.size(); ++slot) {
      if (!produced[slot]) continue;
      (void)layout_->paths[slot]->assign(rebuilt,
                                         std::move(slot_value(output_, layout_->positions[slot])));
    }
    output_ = std::move(rebuilt);
  }

 private:
  static json::value& slot_value(json::object& root, const std::vector<std::uint32_t>& position) {
    json::object* object = &root;
    for (std::size_t i = 0; i + 1 < position.size(); ++i) {
      object = &object->begin()[position[i]].value().get_object();
    }
    return object->begin()[position.back()].value();
  }

  // Fixed width, layout length and character set for a value bound for the system.
  bool system_text(const Step& s, Produced& value) {
    if (s.text && value.kind == Produced::Kind::integer) {
      char buffer[24];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.integer);
      scratch_.operation.assign(buffer, static_cast<std::size_t>(end - buffer));
      value = Produced::of_text(scratch_.operation).safe();
    } else if (s.text && value.kind == Produced::Kind::unsigned_integer) {
      char buffer[24];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.unsigned_integer);
      scratch_.operation.assign(buffer, static_cast<std::size_t>(end - buffer));
      value = Produced::of_text(scratch_.operation).safe();
    }
    if (value.kind != Produced::Kind::text) {
      if (s.text) {
        fail(MapErrorCode::wrong_type,
             "fixed-width text needs a string or an integer, got " +
                 std::string(value.kind == Produced::Kind::boolean ? "a boolean"
                                                                   : json_kind_name(*value.value)));
        return false;
      }
      return true;
    }
    std::string_view text = value.text;
    if (s.text) {
      if (fit_to_width(text, *s.text, scratch_.fitted) == FitOutcome::too_long) {
        fail(MapErrorCode::too_long,
             quote(text) + " is " + std::to_string(count_code_points(text)) +
                 " characters; the system field is " + std::to_string(s.text->width) +
                 " wide (set \"truncate\": true in \"text\" to cut it)");
        return false;
      }
      text = scratch_.fitted;
      value.text = text;
    }
    if (s.max_length != 0 && count_code_points(text) > s.max_length) {
      fail(MapErrorCode::too_long, quote(text) + " is " + std::to_string(count_code_points(text)) +
                                       " characters; the layout's field holds " +
                                       std::to_string(s.max_length));
      return false;
    }
    if (value.charset_safe) return true;
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
  std::uint32_t* hints_;
  const bool to_system_;
  MapResult& result_;
  json::object& output_;
  Scratch& scratch_;
  const detail::OutputTemplate* layout_;
  std::size_t produced_ = 0;
  const Step* step_ = nullptr;
  const JsonPath* input_path_ = nullptr;
};

}  // namespace

MapResult CompiledMapping::apply(const json::value& input, Direction direction,
                                 json::storage_ptr storage) const {
  const Plan& plan = *plan_;
  const bool to_system = direction == Direction::to_system;
  const detail::OutputTemplate& layout =
      to_system ? plan.to_system_template : plan.to_canonical_template;
  if (!input.is_object()) {
    MapResult result{false, json::value(json::object_kind, std::move(storage)), {}};
    result.errors.push_back(MapError{
        MapErrorCode::wrong_type, "", -1, "",
        "the input record must be a JSON object, not " + std::string(json_kind_name(input))});
    return result;
  }
  // Constructed in place: assigning a value would copy it into the target's (default) storage.
  MapResult result{false,
                   layout.usable ? json::value(layout.record, std::move(storage))
                                 : json::value(json::object_kind, std::move(storage)),
                   {}};
  if (!layout.usable) {
    result.output.get_object().reserve(to_system ? plan.to_system_top_level
                                                 : plan.to_canonical_top_level);
  }
  Run run(input, direction, result, thread_hints(plan), layout.usable ? &layout : nullptr);
  for (const Step* step : to_system ? plan.to_system_steps : plan.to_canonical_steps) {
    run.step(*step);
  }
  if (layout.usable && run.produced_count() != layout.paths.size()) run.drop_unwritten();
  result.ok = result.errors.empty();
  return result;
}

}  // namespace coregate::mapping
