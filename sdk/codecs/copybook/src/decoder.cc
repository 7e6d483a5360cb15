// The hot decode path. Everything that can be decided per field is decided in build_plan(); here
// each field is a switch on its kind, table lookups per byte and writes into one reusable buffer.
#include "coregate/codecs/copybook/decoder.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "coregate/codecs/copybook/code_page.h"
#include "sdk/codecs/copybook/src/plan.h"
#include "sdk/codecs/copybook/src/zoned.h"

namespace coregate::codecs::copybook {

using detail::kBad;
using detail::Kind;
using detail::kNeg;
using detail::PlanNode;

std::string DecodeError::to_string() const {
  return field + " at offset " + std::to_string(offset) + ": " + message;
}

namespace {

// One JSON-escaped UTF-8 rendering of a code-page byte (at most 6 bytes: \u00XX).
struct Glyph {
  char bytes[7];
  std::uint8_t size;
};

void make_glyph(char32_t cp, Glyph& g) {
  std::memset(&g, 0, sizeof g);
  char* p = g.bytes;
  if (cp == '"' || cp == '\\') {
    *p++ = '\\';
    *p++ = static_cast<char>(cp);
  } else if (cp < 0x20) {
    static const char hex[] = "0123456789ABCDEF";
    *p++ = '\\';
    *p++ = 'u';
    *p++ = '0';
    *p++ = '0';
    *p++ = hex[cp >> 4];
    *p++ = hex[cp & 15];
  } else if (cp < 0x80) {
    *p++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *p++ = static_cast<char>(0xC0 | (cp >> 6));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *p++ = static_cast<char>(0xE0 | (cp >> 12));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  g.size = static_cast<std::uint8_t>(p - g.bytes);
}

// Digits of a decoded number, most significant first, as ASCII.
struct Digits {
  bool negative = false;
  int n = 0;
  char d[96];  // digits use at most 39; the rest lets the writer copy a constant 48 bytes
};

using u128 = unsigned __int128;

int u128_to_digits(u128 v, char* out) {
  char tmp[48];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v);
  for (int i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
  return n;
}

u128 pow10_u128(int n) {
  u128 v = 1;
  for (int i = 0; i < n; ++i) v *= 10;
  return v;
}

}  // namespace

struct RecordDecoder::Impl {
  DecodeOptions options;
  detail::Plan plan;
  const detail::ZonedTables* zoned = nullptr;
  Glyph glyph[256];
  bool is_space[256];
  std::uint8_t ascii_of[256];  // code page byte -> ASCII char (0 when not ASCII), for edited
  std::size_t root_length = 0;

  struct Rule {
    int discriminator;       // plan index
    std::string text_bytes;  // the value encoded in the code page (text discriminators)
    std::string number;      // the value as decimal text (numeric discriminators)
    int view;                // plan index
    int family;              // plan index of the family head
  };
  std::vector<Rule> rules;
  std::vector<int> families;  // heads covered by rules
  std::vector<int> selected;  // per plan node: chosen view for a family head, -1 = all
  std::vector<std::int64_t> counters;
  std::vector<std::size_t> starts;  // per plan node: start of its current element

  // Output buffer: buf has spare capacity; len is the used part.
  std::string buf;
  std::size_t len = 0;

  // Per-record state.
  const std::uint8_t* rec = nullptr;
  std::size_t rec_size = 0;
  bool failed = false;
  bool probing = false;  // evaluating a redefine-rule discriminator
  DecodeError* error = nullptr;
  std::vector<std::uint32_t> index_stack;  // array indices, for error paths

  u128 pow10[39];
  struct PackedPair {
    char digits[2];
    std::uint8_t bad;
  };
  PackedPair packed_pair[256];  // a packed byte's two digit characters and validity

  void ensure(std::size_t n) {
    if (len + n > buf.size()) buf.resize(std::max(buf.size() * 2, len + n + 4096));
  }
  char* out() { return buf.data() + len; }
  void put(char c) { buf[len++] = c; }
  // Keys are copied as a constant 48 bytes (the buffer always has that much slack).
  void put_key(const PlanNode& n) {
    if (n.key.size() <= sizeof n.key48) [[likely]] {
      std::memcpy(buf.data() + len, n.key48, sizeof n.key48);
      len += n.key.size();
    } else {
      put(n.key);
    }
  }
  void put(std::string_view s) {
    std::memcpy(buf.data() + len, s.data(), s.size());
    len += s.size();
  }

  void fail(const PlanNode& n, std::size_t offset, const std::string& msg) {
    if (failed) return;
    failed = true;
    if (!error) return;
    error->field = n.path;
    for (auto i : index_stack) error->field += "[" + std::to_string(i) + "]";
    error->offset = offset;
    error->message = msg;
  }

  // ---- scalars ------------------------------------------------------------------------------

  // Writes a decimal from its digits; scale may be negative (trailing P) or exceed the digits.
  void write_decimal(const Digits& v, int scale, bool quote) {
    char* p = out();
    int i = 0;
    // Skip leading zeros eight at a time (packed fields are mostly zero-padded).
    while (i + 8 <= v.n) {
      std::uint64_t w;
      std::memcpy(&w, v.d + i, 8);
      if (w != 0x3030303030303030ull) break;
      i += 8;
    }
    while (i < v.n && v.d[i] == '0') ++i;
    const bool zero = i == v.n;
    if (quote) *p++ = '"';
    if (v.negative && !zero) *p++ = '-';
    if (scale <= 0) {
      if (zero) {
        *p++ = '0';
      } else {
        std::memcpy(p, v.d + i, 48);  // constant size; only v.n - i bytes are kept
        p += v.n - i;
        for (int z = 0; z < -scale; ++z) *p++ = '0';
      }
    } else {
      const int int_digits = v.n - scale;
      if (int_digits > i) {
        std::memcpy(p, v.d + i, 48);  // constant size; the fraction overwrites the rest
        p += int_digits - i;
      } else {
        *p++ = '0';
      }
      *p++ = '.';
      if (int_digits >= 0) {
        std::memcpy(p, v.d + int_digits, 48);  // constant size; scale <= 39 bytes are kept
        p += scale;
      } else {
        for (int z = 0; z < -int_digits; ++z) *p++ = '0';
        std::memcpy(p, v.d, static_cast<std::size_t>(v.n));
        p += v.n;
      }
    }
    if (quote) *p++ = '"';
    len = static_cast<std::size_t>(p - buf.data());
  }

  // Returns false when the bytes are not a valid number for the node; `blank` is set when the
  // field is all spaces.
  bool zoned_digits(const PlanNode& n, const std::uint8_t* b, Digits& v, bool& blank) {
    const detail::ZonedTables& z = *zoned;
    std::size_t first = 0, last = n.length;  // digit byte range [first, last)
    v.negative = false;
    blank = false;
    if (n.sign == SignPosition::kLeadingSeparate || n.sign == SignPosition::kTrailingSeparate) {
      const std::uint8_t s = n.sign == SignPosition::kLeadingSeparate ? b[0] : b[n.length - 1];
      if (n.sign == SignPosition::kLeadingSeparate)
        first = 1;
      else
        last = n.length - 1;
      if (s == z.minus)
        v.negative = true;
      else if (s != z.plus)
        return check_blank(n, b, blank);
    }
    std::uint8_t bad = 0;
    int k = 0;
    const std::size_t sign_pos = n.sign == SignPosition::kTrailing  ? last - 1
                                 : n.sign == SignPosition::kLeading ? first
                                                                    : static_cast<std::size_t>(-1);
    for (std::size_t i = first; i < last; ++i) {
      std::uint8_t c;
      if (static_cast<int>(i) == n.point_pos) {
        if (b[i] != z.point && b[i] != z.comma) bad |= kBad;
        continue;
      }
      if (i == sign_pos) {
        c = z.overpunch[b[i]];
        if (c & kNeg) v.negative = true;
        c &= static_cast<std::uint8_t>(~kNeg);
      } else if (i + 1 == last && !n.is_signed) {
        c = z.unsigned_last[b[i]];
      } else {
        c = z.plain[b[i]];
      }
      bad |= c;
      v.d[k++] = static_cast<char>('0' + (c & 0x0F));
    }
    v.n = k;
    if (bad & kBad) return check_blank(n, b, blank);
    return true;
  }

  bool check_blank(const PlanNode& n, const std::uint8_t* b, bool& blank) {
    if (!options.blank_numeric_as_null) return false;
    for (std::size_t i = 0; i < n.length; ++i)
      if (b[i] != zoned->space) return false;
    blank = true;
    return false;
  }

  bool packed_digits(const PlanNode& n, const std::uint8_t* b, Digits& v) {
    int k = 0;
    std::uint8_t bad = 0;
    for (std::uint32_t i = 0; i + 1 < n.length; ++i) {
      const PackedPair& pp = packed_pair[b[i]];
      std::memcpy(v.d + k, pp.digits, 2);
      bad |= pp.bad;
      k += 2;
    }
    const std::uint8_t last = b[n.length - 1];
    const std::uint8_t hi = last >> 4, sign = last & 0x0F;
    bad |= static_cast<std::uint8_t>(hi > 9);
    v.d[k++] = static_cast<char>('0' + hi);
    v.n = k;
    switch (sign) {
      case 0xC:
      case 0xA:
      case 0xE:
      case 0xF:
        v.negative = false;
        break;
      case 0xD:
      case 0xB:
        v.negative = true;
        if (!n.is_signed) bad = 1;
        break;
      default:
        bad = 1;
    }
    return bad == 0;
  }

  bool binary_digits(const PlanNode& n, const std::uint8_t* b, Digits& v) {
    const std::uint32_t L = n.length;
    if (L > 16) return false;
    u128 u = 0;
    if (n.little_endian) {
      for (std::uint32_t i = L; i-- > 0;) u = (u << 8) | b[i];
    } else {
      for (std::uint32_t i = 0; i < L; ++i) u = (u << 8) | b[i];
    }
    v.negative = false;
    if (n.is_signed) {
      const u128 top = static_cast<u128>(1) << (8 * L - 1);
      if (u & top) {
        // Two's complement: magnitude = 2^(8L) - u.
        const u128 full = L == 16 ? 0 : (static_cast<u128>(1) << (8 * L));
        u = full - u;
        v.negative = true;
      }
    }
    if (n.check_digits && n.digits <= 38 && u >= pow10[n.digits]) return false;
    v.n = u128_to_digits(u, v.d);
    return true;
  }

  bool edited_digits(const PlanNode& n, const std::uint8_t* b, Digits& v, bool& blank) {
    v.negative = false;
    int k = 0;
    bool any = false;
    blank = true;
    for (std::uint32_t i = 0; i < n.length && i < n.edit_symbols.size(); ++i) {
      const char c = static_cast<char>(ascii_of[b[i]]);
      const char s = n.edit_symbols[i];
      if (c != ' ') blank = false;
      if (n.edit_digit[i]) {
        if (c >= '0' && c <= '9') {
          v.d[k++] = c;
          any = true;
        } else if (c == ' ' || c == '*' || c == '+' || c == '$' || c == ',') {
          v.d[k++] = '0';
        } else if (c == '-') {
          v.d[k++] = '0';
          v.negative = true;
        } else {
          return false;
        }
        continue;
      }
      switch (s) {
        case '+':
        case '-':
          if (c == '-')
            v.negative = true;
          else if (c >= '0' && c <= '9')
            return false;
          break;
        case 'C':
          if (c == 'C') v.negative = true;
          break;
        case 'D':
          if (c == 'D') v.negative = true;
          break;
        default:
          if (c >= '0' && c <= '9' && s != '0') return false;
          break;
      }
    }
    (void)any;
    v.n = k;
    if (blank) return false;
    return true;
  }

  // Decodes one scalar element at `start`. Writes the value (no key). Returns false when null.
  bool scalar_value(const PlanNode& n, std::size_t start) {
    // Beyond the end of a short (variable) record a field is absent; text cut by the end keeps
    // the characters that are there (as Cobrix reads V records).
    if (start + n.length > rec_size && (n.kind != Kind::kText || start >= rec_size)) return false;
    const std::uint8_t* b = rec + start;
    Digits v;
    bool ok = true, blank = false;
    switch (n.kind) {
      case Kind::kText: {
        std::size_t lo = 0, hi = std::min<std::size_t>(n.length, rec_size - start);
        if (options.trim == Trim::kLeft || options.trim == Trim::kBoth)
          while (lo < hi && is_space[b[lo]]) ++lo;
        if (options.trim == Trim::kRight || options.trim == Trim::kBoth)
          while (hi > lo && is_space[b[hi - 1]]) --hi;
        char* p = out();
        *p++ = '"';
        for (std::size_t i = lo; i < hi; ++i) {
          const Glyph& g = glyph[b[i]];
          std::memcpy(p, g.bytes, 8);
          p += g.size;
        }
        *p++ = '"';
        len = static_cast<std::size_t>(p - buf.data());
        return true;
      }
      case Kind::kZoned:
        ok = zoned_digits(n, b, v, blank);
        break;
      case Kind::kPacked:
        ok = packed_digits(n, b, v);
        break;
      case Kind::kBinary:
        ok = binary_digits(n, b, v);
        break;
      case Kind::kEdited:
        ok = edited_digits(n, b, v, blank);
        break;
      case Kind::kFloat32:
      case Kind::kFloat64:
        return float_value(n, b, start);
      case Kind::kGroup:
        return false;
    }
    if (!ok) {
      if (blank) return false;
      if (!options.lenient) fail(n, start, invalid_message(n, b));
      return false;
    }
    if (probing) {  // discriminator probe: plain decimal text, no side effects
      write_decimal(v, n.scale, false);
      return true;
    }
    if (n.store_slot >= 0) counters[static_cast<std::size_t>(n.store_slot)] = to_int(v);
    write_decimal(v, n.scale, n.quote);
    return true;
  }

  static std::int64_t to_int(const Digits& v) {
    std::int64_t x = 0;
    for (int i = 0; i < v.n; ++i) {
      x = x * 10 + (v.d[i] - '0');
      if (x > 1000000000) return v.negative ? -x : x;  // far beyond any OCCURS limit
    }
    return v.negative ? -x : x;
  }

  std::string invalid_message(const PlanNode& n, const std::uint8_t* b) const {
    static const char hex[] = "0123456789ABCDEF";
    std::string bytes;
    for (std::uint32_t i = 0; i < n.length && i < 24; ++i) {
      bytes.push_back(hex[b[i] >> 4]);
      bytes.push_back(hex[b[i] & 15]);
    }
    if (n.length > 24) bytes += "...";
    const char* what = n.kind == Kind::kPacked ? "invalid packed decimal (bad digit or sign nibble)"
                       : n.kind == Kind::kBinary ? "binary value exceeds the PICTURE digits"
                       : n.kind == Kind::kEdited ? "not a valid numeric-edited value"
                                                 : "invalid zoned decimal (non-digit or bad sign)";
    return std::string(what) + ", bytes X'" + bytes + "'";
  }

  bool float_value(const PlanNode& n, const std::uint8_t* b, std::size_t start) {
    double d;
    if (n.kind == Kind::kFloat32) {
      std::uint32_t u = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                        (std::uint32_t{b[2]} << 8) | b[3];
      if (options.float_format == FloatFormat::kIeee754) {
        float f = std::bit_cast<float>(u);
        if (!std::isfinite(f)) return bad_float(n, start);
        char* p = out();
        auto r = std::to_chars(p, p + 32, f);
        len = static_cast<std::size_t>(r.ptr - buf.data());
        return true;
      }
      const int exp = static_cast<int>((u >> 24) & 0x7F) - 64;
      d = std::ldexp(static_cast<double>(u & 0xFFFFFF), 4 * exp - 24);
      if (u & 0x80000000u) d = -d;
      float f = static_cast<float>(d);
      char* p = out();
      auto r = std::to_chars(p, p + 32, std::isfinite(f) ? f : static_cast<float>(0));
      if (!std::isfinite(f)) return bad_float(n, start);
      len = static_cast<std::size_t>(r.ptr - buf.data());
      return true;
    }
    std::uint64_t u = 0;
    for (int i = 0; i < 8; ++i) u = (u << 8) | b[i];
    if (options.float_format == FloatFormat::kIeee754) {
      d = std::bit_cast<double>(u);
    } else {
      const int exp = static_cast<int>((u >> 56) & 0x7F) - 64;
      d = std::ldexp(static_cast<double>(u & 0x00FFFFFFFFFFFFFFull), 4 * exp - 56);
      if (u >> 63) d = -d;
    }
    if (!std::isfinite(d)) return bad_float(n, start);
    char* p = out();
    auto r = std::to_chars(p, p + 32, d);
    len = static_cast<std::size_t>(r.ptr - buf.data());
    return true;
  }

  bool bad_float(const PlanNode& n, std::size_t start) {
    if (!options.lenient) fail(n, start, "floating-point value is NaN or infinite");
    return false;
  }

  // ---- structure ----------------------------------------------------------------------------

  // Writes `"key":value,` (or nothing / null). Returns the bytes the item occupies.
  std::size_t member(const PlanNode& n, std::size_t start) {
    if (!n.occurs) {
      if (!n.emit) return n.length;
      const std::size_t mark = len;
      put_key(n);
      std::size_t used = n.length;
      if (!element(n, start, used)) {
        if (failed) return used;
        if (options.emit_nulls) {
          put("null");
        } else {
          len = mark;
          return used;
        }
      }
      put(',');
      return used;
    }
    std::uint32_t count = n.occurs_max;
    if (n.counter_slot >= 0) {
      const std::int64_t c = counters[static_cast<std::size_t>(n.counter_slot)];
      if (c < static_cast<std::int64_t>(n.occurs_min) ||
          c > static_cast<std::int64_t>(n.occurs_max)) {
        if (!options.lenient) {
          fail(n, start,
               "DEPENDING ON count " + std::to_string(c) + " is outside " +
                   std::to_string(n.occurs_min) + " to " + std::to_string(n.occurs_max));
          return n.length;
        }
        count = static_cast<std::uint32_t>(std::clamp<std::int64_t>(c, n.occurs_min, n.occurs_max));
      } else {
        count = static_cast<std::uint32_t>(c);
      }
    }
    std::size_t pos = start;
    if (n.emit) {
      put_key(n);
      put('[');
    }
    index_stack.push_back(0);
    for (std::uint32_t i = 0; i < count; ++i) {
      index_stack.back() = i;
      if (pos >= rec_size && n.emit) break;
      std::size_t used = n.length;
      if (n.emit) {
        if (!element(n, pos, used)) {
          if (failed) break;
          put("null");
        }
        put(',');
      } else if (n.kind == Kind::kGroup && options.variable_size_occurs) {
        used = group_size(n, pos);
      }
      pos += options.variable_size_occurs ? used : n.length;
    }
    index_stack.pop_back();
    if (n.emit) {
      if (buf[len - 1] == ',') --len;
      put(']');
      put(',');
    }
    return options.variable_size_occurs ? pos - start
                                        : static_cast<std::size_t>(n.length) * n.occurs_max;
  }

  // Writes one element's value. `used` receives its size. Returns false for null.
  bool element(const PlanNode& n, std::size_t start, std::size_t& used) {
    if (n.kind != Kind::kGroup) {
      used = n.length;
      return scalar_value(n, start);
    }
    if (start >= rec_size) {
      used = n.length;
      return false;
    }
    put('{');
    used = walk(n, start);
    if (buf[len - 1] == ',') --len;
    put('}');
    return true;
  }

  // Walks a group's children from `base`; returns the bytes the group occupies.
  std::size_t walk(const PlanNode& g, std::size_t base) {
    std::size_t end = base;
    for (int ci : g.children) {
      const PlanNode& c = plan.nodes[static_cast<std::size_t>(ci)];
      std::size_t start;
      if (options.variable_size_occurs)
        start = c.redefines >= 0 ? starts[static_cast<std::size_t>(c.redefines)] : end;
      else
        start = base + c.rel_offset;
      starts[static_cast<std::size_t>(ci)] = start;
      std::size_t used;
      if (c.family >= 0 && selected[static_cast<std::size_t>(c.family)] >= 0 &&
          selected[static_cast<std::size_t>(c.family)] != ci) {
        used = static_cast<std::size_t>(c.length) * c.occurs_max;  // another view was chosen
      } else {
        used = member(c, start);
      }
      if (failed) return end - base;
      end = std::max(end, start + used);
    }
    return options.variable_size_occurs ? end - base : g.length;
  }

  // Size of a (non-emitted) group element in variable mode: walk without writing.
  std::size_t group_size(const PlanNode& g, std::size_t base) {
    const std::size_t mark = len;
    std::size_t used = walk(g, base);
    len = mark;
    return used;
  }

  void select_views() {
    for (int f : families) selected[static_cast<std::size_t>(f)] = -1;
    for (const Rule& r : rules) {
      if (selected[static_cast<std::size_t>(r.family)] >= 0) continue;
      const PlanNode& d = plan.nodes[static_cast<std::size_t>(r.discriminator)];
      if (d.abs_offset + d.length > rec_size) continue;
      const std::uint8_t* b = rec + d.abs_offset;
      bool match;
      if (d.kind == Kind::kText) {
        std::size_t lo = 0, hi = d.length;
        while (lo < hi && is_space[b[lo]]) ++lo;
        while (hi > lo && is_space[b[hi - 1]]) --hi;
        match = hi - lo == r.text_bytes.size() &&
                std::memcmp(b + lo, r.text_bytes.data(), hi - lo) == 0;
      } else {
        const std::size_t mark = len;
        const bool saved_failed = failed;
        const bool lenient = options.lenient;
        options.lenient = true;
        probing = true;
        const bool ok = scalar_value(d, d.abs_offset);
        probing = false;
        options.lenient = lenient;
        match = ok && std::string_view(buf.data() + mark, len - mark) == r.number;
        len = mark;
        failed = saved_failed;
      }
      if (match) selected[static_cast<std::size_t>(r.family)] = r.view;
    }
  }

  void prefill_counters() {
    // Counters outside tables have static offsets (valid unless a variable table precedes them,
    // in which case the walk overwrites the value when it reaches the counter).
    for (std::size_t slot = 0; slot < plan.counter_nodes.size(); ++slot) {
      const PlanNode& c = plan.nodes[static_cast<std::size_t>(plan.counter_nodes[slot])];
      counters[slot] = -1;
      if (c.abs_offset + c.length > rec_size) continue;
      const std::size_t mark = len;
      const bool lenient = options.lenient;
      options.lenient = true;
      (void)scalar_value(c, c.abs_offset);
      options.lenient = lenient;
      len = mark;
    }
  }

  bool run(std::span<const std::uint8_t> record, DecodeError& err) {
    rec = record.data();
    rec_size = record.size();
    failed = false;
    error = &err;
    len = 0;
    index_stack.clear();
    const PlanNode& root = plan.nodes[0];
    // One capacity check per record: the plan knows the worst-case JSON size.
    ensure(root.max_total + 128);
    if (!rules.empty()) select_views();
    if (!counters.empty()) prefill_counters();
    if (options.keep_root) {
      put('{');
      put(root.key);
    }
    if (root.kind == Kind::kGroup) {
      put('{');
      walk(root, 0);
      if (buf[len - 1] == ',') --len;
      put('}');
    } else {
      put('{');
      member(root, 0);
      if (buf[len - 1] == ',') --len;
      put('}');
    }
    if (options.keep_root) put('}');
    return !failed;
  }
};

RecordDecoder::RecordDecoder(const Copybook& cb, DecodeOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.options = std::move(options);
  const CodePage* cp = CodePage::find(m.options.code_page);
  if (!cp) throw std::invalid_argument("unknown code page '" + m.options.code_page + "'");
  const int root = detail::select_root(cb, m.options.root);
  m.plan = detail::build_plan(cb, root, m.options.native_binary_little_endian,
                              m.options.binary_little_endian,
                              m.options.numbers == NumberStyle::kDecimalStrings);
  m.root_length = cb.fields[static_cast<std::size_t>(root)].length;
  m.zoned = &detail::zoned_tables(cp->is_ebcdic());
  for (int b = 0; b < 256; ++b) {
    char32_t u = cp->to_unicode(static_cast<std::uint8_t>(b));
    m.ascii_of[b] = u < 0x80 ? static_cast<std::uint8_t>(u) : 0;
    if (m.options.printable_ascii_only && (u < 0x20 || u > 0x7E)) u = ' ';
    if (m.options.cobrix_control_characters) {
      if (u >= 0x80 && u <= 0x9F && u != 0x85)
        u = ' ';
      else if (u == '\r')
        u = '\n';
      else if (u == '\n')
        u = '\r';
    }
    make_glyph(u, m.glyph[b]);
    m.is_space[b] = u == ' ';
  }
  for (int i = 0; i < 39; ++i) m.pow10[i] = pow10_u128(i);
  for (int b = 0; b < 256; ++b) {
    m.packed_pair[b].digits[0] = static_cast<char>('0' + (b >> 4));
    m.packed_pair[b].digits[1] = static_cast<char>('0' + (b & 15));
    m.packed_pair[b].bad = (b >> 4) > 9 || (b & 15) > 9;
  }
  m.counters.assign(static_cast<std::size_t>(m.plan.counters), -1);
  m.starts.assign(m.plan.nodes.size(), 0);
  m.selected.assign(m.plan.nodes.size(), -1);

  // Redefine rules: map names to plan nodes.
  auto plan_index = [&](const std::string& name) {
    int fi = cb.find(name);
    if (fi < 0) throw std::invalid_argument("redefine rule names unknown field '" + name + "'");
    const std::string& path = cb.fields[static_cast<std::size_t>(fi)].path;
    for (std::size_t i = 0; i < m.plan.nodes.size(); ++i)
      if (m.plan.nodes[i].path == path) return static_cast<int>(i);
    throw std::invalid_argument("field '" + name + "' is not in the decoded record");
  };
  for (const RedefineRule& r : m.options.redefine_rules) {
    Impl::Rule rule;
    rule.discriminator = plan_index(r.field);
    rule.view = plan_index(r.view);
    const PlanNode& d = m.plan.nodes[static_cast<std::size_t>(rule.discriminator)];
    if (d.inside_table || d.occurs || d.kind == Kind::kGroup)
      throw std::invalid_argument("discriminator '" + r.field +
                                  "' must be an elementary item outside tables");
    const PlanNode& v = m.plan.nodes[static_cast<std::size_t>(rule.view)];
    rule.family = v.redefines >= 0 ? v.redefines : rule.view;
    bool has_member = v.redefines >= 0;
    for (const PlanNode& n : m.plan.nodes)
      if (n.redefines == rule.family) has_member = true;
    if (!has_member)
      throw std::invalid_argument("'" + r.view + "' neither redefines nor is redefined");
    if (d.kind == Kind::kText) {
      std::string value = r.value;
      while (!value.empty() && value.back() == ' ') value.pop_back();
      while (!value.empty() && value.front() == ' ') value.erase(value.begin());
      for (unsigned char ch : value) {
        auto byte = cp->from_unicode(ch);
        if (!byte)
          throw std::invalid_argument("rule value '" + r.value + "' is not in the code page");
        rule.text_bytes.push_back(static_cast<char>(*byte));
      }
    } else {
      rule.number = r.value;
    }
    m.rules.push_back(rule);
    bool known = false;
    for (int f : m.families) known |= f == rule.family;
    if (!known) m.families.push_back(rule.family);
  }
  for (int f : m.families) {
    m.plan.nodes[static_cast<std::size_t>(f)].family = f;
    for (PlanNode& n : m.plan.nodes)
      if (n.redefines == f) n.family = f;
  }
  m.buf.resize(64 * 1024);
}

RecordDecoder::~RecordDecoder() = default;
RecordDecoder::RecordDecoder(RecordDecoder&&) noexcept = default;
RecordDecoder& RecordDecoder::operator=(RecordDecoder&&) noexcept = default;

bool RecordDecoder::decode(std::span<const std::uint8_t> record, std::string_view& json,
                           DecodeError& error) {
  const bool ok = impl_->run(record, error);
  json = std::string_view(impl_->buf.data(), impl_->len);
  return ok;
}

bool RecordDecoder::decode(std::span<const std::uint8_t> record, std::string& out,
                           DecodeError& error) {
  std::string_view v;
  const bool ok = decode(record, v, error);
  if (ok) out.append(v);
  return ok;
}

std::size_t RecordDecoder::record_length() const {
  return impl_->root_length;
}

}  // namespace coregate::codecs::copybook
