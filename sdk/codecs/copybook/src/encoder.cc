#include "coregate/codecs/copybook/encoder.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "coregate/codecs/copybook/code_page.h"
#include "sdk/codecs/copybook/src/decimal_text.h"
#include "sdk/codecs/copybook/src/plan.h"
#include "sdk/codecs/copybook/src/zoned.h"

namespace coregate::codecs::copybook {

using detail::Kind;
using detail::PlanNode;
namespace json = boost::json;

namespace {
using u128 = unsigned __int128;
}

struct RecordEncoder::Impl {
  EncodeOptions options;
  detail::Plan plan;
  const CodePage* cp = nullptr;
  const detail::ZonedTables* zoned = nullptr;
  std::size_t root_length = 0;
  std::vector<std::int64_t> counters;
  std::vector<std::size_t> starts;
  std::vector<std::uint8_t>* out = nullptr;
  EncodeError* error = nullptr;
  bool failed = false;

  bool fail(const PlanNode& n, const std::string& msg) {
    if (!failed) {
      failed = true;
      error->field = n.path;
      error->message = msg;
    }
    return false;
  }

  void reserve_to(std::size_t end) {
    if (out->size() < end) out->resize(end, cp->space());
  }

  static const json::value* member_of(const json::object* obj, const PlanNode& n) {
    if (!obj) return nullptr;
    if (auto it = obj->find(n.name); it != obj->end()) return &it->value();
    std::string dashed = n.name;
    for (char& c : dashed)
      if (c == '_') c = '-';
    if (auto it = obj->find(dashed); it != obj->end()) return &it->value();
    return nullptr;
  }

  // The decimal text of a JSON value for a numeric field; empty string + false on a bad type.
  bool number_text(const PlanNode& n, const json::value* v, std::string& text) {
    if (!v || v->is_null()) {
      text = n.value.empty() || n.value == "ZERO" || n.value == "ZEROS" || n.value == "ZEROES"
                 ? "0"
                 : n.value;
      detail::DecimalText probe;
      if (!detail::parse_decimal(text, probe)) text = "0";
      return true;
    }
    if (v->is_string()) {
      text = std::string(v->as_string());
      return true;
    }
    if (v->is_int64()) {
      text = std::to_string(v->as_int64());
      return true;
    }
    if (v->is_uint64()) {
      text = std::to_string(v->as_uint64());
      return true;
    }
    if (v->is_double()) {
      if (n.kind == Kind::kFloat32 || n.kind == Kind::kFloat64) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v->as_double());
        text.assign(buf, r.ptr);
        return true;
      }
      return fail(
          n,
          "a JSON number with a fraction cannot be stored exactly; send the decimal as a string");
    }
    return fail(n, "expected a number or a decimal string");
  }

  bool text_bytes(const PlanNode& n, std::string_view utf8, std::uint8_t* dst) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < utf8.size();) {
      const unsigned char c = static_cast<unsigned char>(utf8[i]);
      const int len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 0;
      if (len == 0 || i + static_cast<std::size_t>(len) > utf8.size())
        return fail(n, "invalid UTF-8 text");
      char32_t u = len == 1 ? c : static_cast<char32_t>(c & (0x7F >> len));
      for (int k = 1; k < len; ++k)
        u = (u << 6) | (static_cast<unsigned char>(utf8[i + static_cast<std::size_t>(k)]) & 0x3F);
      auto b = cp->from_unicode(u);
      if (!b)
        return fail(n, "character U+" + std::to_string(static_cast<unsigned>(u)) +
                           " has no byte in " + std::string(cp->name()));
      bytes.push_back(*b);
      i += static_cast<std::size_t>(len);
    }
    if (bytes.size() > n.length)
      return fail(n, std::to_string(bytes.size()) + " characters do not fit in " +
                         std::to_string(n.length));
    const std::size_t pad = n.length - bytes.size();
    std::memset(dst, cp->space(), n.length);
    if (!bytes.empty())
      std::memcpy(dst + (n.justified_right ? pad : 0), bytes.data(), bytes.size());
    return true;
  }

  bool aligned_digits(const PlanNode& n, const std::string& text, bool& negative,
                      std::string& digits) {
    detail::DecimalText v;
    if (!detail::parse_decimal(text, v)) return fail(n, "'" + text + "' is not a decimal number");
    const bool zero = v.digits.find_first_not_of('0') == std::string::npos;
    negative = v.negative && !zero;
    if (negative && !n.is_signed)
      return fail(n, "negative value " + text + " for an unsigned field");
    switch (detail::align_decimal(v, n.digits, n.scale, digits)) {
      case detail::Align::kOk:
        return true;
      case detail::Align::kTooManyIntegerDigits:
        return fail(n, text + " has more integer digits than the PICTURE allows");
      case detail::Align::kTooManyFractionDigits:
        return fail(n, text + " has more decimal places than the PICTURE keeps");
    }
    return false;
  }

  bool zoned_bytes(const PlanNode& n, bool neg, const std::string& d, std::uint8_t* dst) {
    const detail::ZonedTables& z = *zoned;
    std::size_t pos = 0;
    if (n.sign == SignPosition::kLeadingSeparate) dst[pos++] = neg ? z.minus : z.plus;
    const std::size_t first_digit = pos;
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (static_cast<int>(pos) == n.point_pos) dst[pos++] = z.point;
      dst[pos++] = static_cast<std::uint8_t>(z.digit_zone | (d[i] - '0'));
    }
    if (static_cast<int>(pos) == n.point_pos) dst[pos++] = z.point;
    const std::size_t last_digit = pos - 1;
    if (n.sign == SignPosition::kTrailingSeparate) dst[pos++] = neg ? z.minus : z.plus;
    if (n.sign == SignPosition::kTrailing || n.sign == SignPosition::kLeading) {
      std::size_t at = n.sign == SignPosition::kTrailing ? last_digit : first_digit;
      if (static_cast<int>(at) == n.point_pos) at += n.sign == SignPosition::kTrailing ? -1 : 1;
      const std::uint8_t digit = dst[at] & 0x0F;
      dst[at] = static_cast<std::uint8_t>((neg ? z.negative_zone : z.positive_zone) | digit);
    }
    if (pos != n.length) return fail(n, "internal: zoned length mismatch");
    return true;
  }

  bool packed_bytes(const PlanNode& n, bool neg, const std::string& d, std::uint8_t* dst) {
    const std::size_t nibbles = 2 * static_cast<std::size_t>(n.length) - 1;
    std::string all(nibbles - std::min(nibbles, d.size()), '0');
    all += d;
    for (std::size_t i = 0; i < n.length; ++i) {
      const std::uint8_t hi = static_cast<std::uint8_t>(all[2 * i] - '0');
      const std::uint8_t lo = 2 * i + 1 < nibbles ? static_cast<std::uint8_t>(all[2 * i + 1] - '0')
                                                  : static_cast<std::uint8_t>(!n.is_signed ? 0xF
                                                                              : neg        ? 0xD
                                                                                           : 0xC);
      dst[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return true;
  }

  bool binary_bytes(const PlanNode& n, bool neg, const std::string& d, std::uint8_t* dst) {
    u128 v = 0;
    for (char c : d) v = v * 10 + static_cast<unsigned>(c - '0');
    const unsigned bits = 8 * n.length;
    u128 limit;
    if (n.is_signed)
      limit = (static_cast<u128>(1) << (bits - 1)) - (neg ? 0 : 1);
    else
      limit = bits >= 128 ? ~static_cast<u128>(0) : (static_cast<u128>(1) << bits) - 1;
    if (v > limit)
      return fail(n, "value does not fit " + std::to_string(n.length) + " binary bytes");
    if (neg) v = ~v + 1;  // two's complement in 128 bits; the low bytes are the field's
    for (std::uint32_t i = 0; i < n.length; ++i) {
      const std::uint8_t byte = static_cast<std::uint8_t>(v >> (8 * i));
      dst[n.little_endian ? i : n.length - 1 - i] = byte;
    }
    return true;
  }

  bool float_bytes(const PlanNode& n, const std::string& text, std::uint8_t* dst) {
    double d = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(d))
      return fail(n, "'" + text + "' is not a finite number");
    if (options.float_format == FloatFormat::kIeee754) {
      if (n.kind == Kind::kFloat32) {
        const std::uint32_t u = std::bit_cast<std::uint32_t>(static_cast<float>(d));
        for (int i = 0; i < 4; ++i) dst[i] = static_cast<std::uint8_t>(u >> (24 - 8 * i));
      } else {
        const std::uint64_t u = std::bit_cast<std::uint64_t>(d);
        for (int i = 0; i < 8; ++i) dst[i] = static_cast<std::uint8_t>(u >> (56 - 8 * i));
      }
      return true;
    }
    // IBM hexadecimal float: sign, 7-bit excess-64 base-16 exponent, 24/56-bit fraction.
    const int frac_bits = n.kind == Kind::kFloat32 ? 24 : 56;
    std::uint64_t word = 0;
    if (d != 0) {
      const bool neg = d < 0;
      double m = std::fabs(d);
      int exp = 0;
      while (m >= 1.0) {
        m /= 16;
        ++exp;
      }
      while (m < 1.0 / 16) {
        m *= 16;
        --exp;
      }
      if (exp + 64 < 0 || exp + 64 > 127) return fail(n, "value out of IBM float range");
      std::uint64_t frac = static_cast<std::uint64_t>(std::ldexp(m, frac_bits) + 0.5);
      if (frac >> frac_bits) {  // rounding carried into a new hex digit
        frac >>= 4;
        ++exp;
      }
      word = (static_cast<std::uint64_t>(neg) << (frac_bits + 7)) |
             (static_cast<std::uint64_t>(exp + 64) << frac_bits) | frac;
    }
    const int nbytes = n.kind == Kind::kFloat32 ? 4 : 8;
    for (int i = 0; i < nbytes; ++i)
      dst[i] = static_cast<std::uint8_t>(word >> (8 * (nbytes - 1 - i)));
    return true;
  }

  // Numeric editing: fills the picture's character positions from the aligned digits.
  bool edited_bytes(const PlanNode& n, bool neg, const std::string& d, std::uint8_t* dst) {
    const std::string& sym = n.edit_symbols;
    std::string outc(sym.size(), ' ');
    // Digit positions in order get d[0..]; find the first significant digit.
    std::size_t first_sig = d.find_first_not_of('0');
    if (first_sig == std::string::npos) first_sig = d.size();
    // Positions of an explicit point bound suppression: digits after the point are never blanked.
    const std::size_t point_at = sym.find_first_of(".V");
    std::size_t k = 0;  // digit index
    bool significant = false;
    char floating = 0;
    std::size_t last_float_blank = std::string::npos;
    for (std::size_t i = 0; i < sym.size(); ++i) {
      const char s = sym[i];
      if (n.edit_digit[i]) {
        const bool after_point = point_at != std::string::npos && i > point_at;
        if (k >= first_sig || s == '9' || after_point) significant = true;
        const char digit = d[k++];
        if (significant)
          outc[i] = digit;
        else if (s == '*')
          outc[i] = '*';
        else {
          outc[i] = ' ';
          if (s == '+' || s == '-' || s == '$') {
            floating = s;
            last_float_blank = i;
          }
        }
        continue;
      }
      switch (s) {
        case '+':
          outc[i] = neg ? '-' : '+';
          if (i + 1 < sym.size() && sym[i + 1] == '+') {
            floating = '+';
            last_float_blank = i;
            outc[i] = ' ';
          }
          break;
        case '-':
          outc[i] = neg ? '-' : ' ';
          if (i + 1 < sym.size() && sym[i + 1] == '-') {
            floating = '-';
            last_float_blank = i;
            outc[i] = ' ';
          }
          break;
        case '$':
          outc[i] = '$';
          if (i + 1 < sym.size() && sym[i + 1] == '$') {
            floating = '$';
            last_float_blank = i;
            outc[i] = ' ';
          }
          break;
        case 'C':
          outc[i] = neg ? 'C' : ' ';
          break;
        case 'R':
          outc[i] = neg ? 'R' : ' ';
          break;
        case 'D':
          outc[i] = neg ? 'D' : ' ';
          break;
        case 'B':
          outc[i] = ' ';
          break;
        case '0':
          outc[i] = '0';
          break;
        case '/':
          outc[i] = '/';
          break;
        case '.':
          outc[i] = '.';
          significant = true;
          break;
        case ',':
          outc[i] = significant ? ',' : ' ';
          break;
        case 'Z':
        case '9':
        case '*':
          outc[i] = '0';
          break;
        default:
          outc[i] = s;
          break;
      }
    }
    if (floating && last_float_blank != std::string::npos)
      outc[last_float_blank] = floating == '+'   ? (neg ? '-' : '+')
                               : floating == '-' ? (neg ? '-' : ' ')
                                                 : '$';
    if (k != d.size()) return fail(n, "internal: edited digit count mismatch");
    for (std::size_t i = 0; i < outc.size(); ++i) {
      auto b = cp->from_unicode(static_cast<unsigned char>(outc[i]));
      dst[i] = b ? *b : cp->space();
    }
    return true;
  }

  bool scalar(const PlanNode& n, const json::value* v, std::size_t start) {
    reserve_to(start + n.length);
    std::uint8_t* dst = out->data() + start;
    if (n.kind == Kind::kText) {
      if (!v || v->is_null()) {
        std::string fill = n.value;
        if (fill == "SPACE" || fill == "SPACES") fill.clear();
        if (fill.size() > n.length) fill.resize(n.length);
        return text_bytes(n, fill, dst);
      }
      if (!v->is_string()) return fail(n, "expected a string");
      return text_bytes(n, v->as_string(), dst);
    }
    std::string text;
    if (!number_text(n, v, text)) return false;
    if (n.kind == Kind::kFloat32 || n.kind == Kind::kFloat64) return float_bytes(n, text, dst);
    bool neg = false;
    std::string digits;
    if (!aligned_digits(n, text, neg, digits)) return false;
    if (n.store_slot >= 0) {
      std::int64_t c = 0;
      for (char ch : digits) c = std::min<std::int64_t>(c * 10 + (ch - '0'), 1000000000);
      counters[static_cast<std::size_t>(n.store_slot)] = neg ? -c : c;
    }
    switch (n.kind) {
      case Kind::kZoned:
        return zoned_bytes(n, neg, digits, dst);
      case Kind::kPacked:
        return packed_bytes(n, neg, digits, dst);
      case Kind::kBinary:
        return binary_bytes(n, neg, digits, dst);
      case Kind::kEdited:
        return edited_bytes(n, neg, digits, dst);
      default:
        break;
    }
    return fail(n, "unsupported field kind");
  }

  // Writes one element (group or scalar) at `start`; returns the bytes it occupies.
  std::size_t element(const PlanNode& n, const json::value* v, std::size_t start) {
    if (n.kind != Kind::kGroup) {
      scalar(n, v, start);
      return n.length;
    }
    const json::object* obj = v && v->is_object() ? &v->as_object() : nullptr;
    if (v && !v->is_null() && !obj) {
      fail(n, "expected an object");
      return n.length;
    }
    return walk(n, obj, start);
  }

  std::size_t member(const PlanNode& n, const json::object* parent, std::size_t start) {
    const json::value* v = n.emit ? member_of(parent, n) : nullptr;
    if (!n.occurs) return element(n, v, start);
    const json::array* arr = v && v->is_array() ? &v->as_array() : nullptr;
    if (v && !v->is_null() && !arr) {
      fail(n, "expected an array");
      return n.length;
    }
    std::size_t count = arr ? arr->size() : (n.counter_slot >= 0 ? 0 : n.occurs_max);
    if (n.counter_slot >= 0) {
      std::int64_t& c = counters[static_cast<std::size_t>(n.counter_slot)];
      if (c < 0) {
        fail(n, "the DEPENDING ON counter was not written before the table");
        return n.length;
      }
      if (arr && static_cast<std::int64_t>(arr->size()) != c) {
        fail(n, "array has " + std::to_string(arr->size()) +
                    " elements but the DEPENDING ON counter says " + std::to_string(c));
        return n.length;
      }
      count = static_cast<std::size_t>(c);
    }
    if (count > n.occurs_max || count < n.occurs_min) {
      fail(n, std::to_string(count) + " elements is outside OCCURS " +
                  std::to_string(n.occurs_min) + " TO " + std::to_string(n.occurs_max));
      return n.length;
    }
    std::size_t pos = start;
    const std::size_t slots = options.variable_size_occurs ? count : n.occurs_max;
    for (std::size_t i = 0; i < slots && !failed; ++i) {
      const json::value* ev = arr && i < arr->size() ? &(*arr)[i] : nullptr;
      std::size_t used = element(n, ev, pos);
      pos += options.variable_size_occurs ? used : n.length;
    }
    return pos - start;
  }

  std::size_t walk(const PlanNode& g, const json::object* obj, std::size_t base) {
    std::size_t end = base;
    std::vector<char> family_written;  // per child position: whether its family head was written
    for (std::size_t k = 0; k < g.children.size() && !failed; ++k) {
      const int ci = g.children[k];
      const PlanNode& c = plan.nodes[static_cast<std::size_t>(ci)];
      std::size_t start;
      if (options.variable_size_occurs)
        start = c.redefines >= 0 ? starts[static_cast<std::size_t>(c.redefines)] : end;
      else
        start = base + c.rel_offset;
      starts[static_cast<std::size_t>(ci)] = start;
      std::size_t used = static_cast<std::size_t>(c.length) * c.occurs_max;
      // REDEFINES: write the first alternative present in the JSON (or the original when none is).
      const int head = c.redefines >= 0 ? c.redefines : ci;
      bool family_has_alternatives = c.redefines >= 0;
      if (!family_has_alternatives)
        for (int other : g.children)
          if (plan.nodes[static_cast<std::size_t>(other)].redefines == ci)
            family_has_alternatives = true;
      if (family_has_alternatives) {
        int chosen = -1;
        for (int other : g.children) {
          const PlanNode& o = plan.nodes[static_cast<std::size_t>(other)];
          if ((other == head || o.redefines == head) && o.emit && member_of(obj, o)) {
            chosen = other;
            break;
          }
        }
        if (chosen < 0) chosen = head;
        if (chosen != ci) {
          reserve_to(start + used);
          end = std::max(end, start + used);
          continue;
        }
      }
      used = member(c, obj, start);
      end = std::max(end, start + used);
    }
    return options.variable_size_occurs ? end - base : g.length;
  }
};

RecordEncoder::RecordEncoder(const Copybook& cb, EncodeOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.options = std::move(options);
  m.cp = CodePage::find(m.options.code_page);
  if (!m.cp) throw std::invalid_argument("unknown code page '" + m.options.code_page + "'");
  m.zoned = &detail::zoned_tables(m.cp->is_ebcdic());
  const int root = detail::select_root(cb, m.options.root);
  m.plan = detail::build_plan(cb, root, m.options.native_binary_little_endian,
                              m.options.binary_little_endian, false);
  m.root_length = cb.fields[static_cast<std::size_t>(root)].length;
  m.counters.assign(static_cast<std::size_t>(m.plan.counters), -1);
  m.starts.assign(m.plan.nodes.size(), 0);
}

RecordEncoder::~RecordEncoder() = default;
RecordEncoder::RecordEncoder(RecordEncoder&&) noexcept = default;
RecordEncoder& RecordEncoder::operator=(RecordEncoder&&) noexcept = default;

bool RecordEncoder::encode(const json::object& record, std::vector<std::uint8_t>& out,
                           EncodeError& error) {
  Impl& m = *impl_;
  m.out = &out;
  m.error = &error;
  m.failed = false;
  std::fill(m.counters.begin(), m.counters.end(), -1);
  out.assign(m.options.variable_size_occurs ? 0 : m.root_length, m.cp->space());
  const PlanNode& root = m.plan.nodes[0];
  std::size_t used;
  if (root.kind == Kind::kGroup) {
    used = m.walk(root, &record, 0);
  } else {
    used = m.member(root, &record, 0);
  }
  if (m.options.variable_size_occurs) out.resize(used);
  return !m.failed;
}

bool RecordEncoder::encode(std::string_view text, std::vector<std::uint8_t>& out,
                           EncodeError& error) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    error.field = "(record)";
    error.message = ec ? "invalid JSON: " + ec.message() : "the record must be a JSON object";
    return false;
  }
  return encode(v.as_object(), out, error);
}

std::size_t RecordEncoder::record_length() const {
  return impl_->root_length;
}

}  // namespace coregate::codecs::copybook
