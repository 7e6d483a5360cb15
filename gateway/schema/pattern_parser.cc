// Recursive-descent parser for the ECMA-262 regex subset (see pattern_syntax.h).
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "gateway/schema/pattern_syntax.h"

namespace coregate::schema::detail::regex {

namespace {

// The complement of a non-negated set as explicit ranges (for \D, \W, \S inside a class).
CodePointSet complement(const CodePointSet& set) {
  CodePointSet out;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> all;
  for (std::uint32_t c = 0; c < 128; ++c) {
    if (set.contains_raw(c)) all.emplace_back(c, c);
  }
  all.insert(all.end(), set.ranges.begin(), set.ranges.end());
  std::sort(all.begin(), all.end());
  std::uint32_t next = 0;
  for (const auto& [lo, hi] : all) {
    if (lo > next) out.add_range(next, lo - 1);
    if (hi + 1 > next) next = hi + 1;
  }
  if (next <= 0x10FFFF) out.add_range(next, 0x10FFFF);
  return out;
}

CodePointSet digit_set() {
  CodePointSet s;
  s.add_range('0', '9');
  return s;
}
CodePointSet word_set() {
  CodePointSet s;
  s.add_range('a', 'z');
  s.add_range('A', 'Z');
  s.add_range('0', '9');
  s.add_range('_', '_');
  return s;
}
CodePointSet space_set() {
  CodePointSet s;
  s.add_range('\t', '\r');
  s.add_range(' ', ' ');
  for (std::uint32_t c : {0xA0u, 0x1680u, 0x2028u, 0x2029u, 0x202Fu, 0x205Fu, 0x3000u, 0xFEFFu}) {
    s.add_range(c, c);
  }
  s.add_range(0x2000, 0x200A);
  return s;
}
}  // namespace

bool is_word_char(std::uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view source) : src_(source) {}

  std::vector<Re> parse(int& root) {
    root = disjunction();
    if (pos_ != src_.size()) fail("unmatched ')'");
    return std::move(nodes_);
  }

 private:
  [[noreturn]] void fail(const std::string& why) { throw std::invalid_argument(why); }
  bool at_end() const { return pos_ >= src_.size(); }
  std::uint32_t peek() {
    std::size_t len = 0;
    return decode(src_, pos_, len);
  }
  std::uint32_t next() {
    std::size_t len = 0;
    std::uint32_t c = decode(src_, pos_, len);
    pos_ += len;
    return c;
  }
  int add(Re re) {
    nodes_.push_back(std::move(re));
    return static_cast<int>(nodes_.size() - 1);
  }

  int disjunction() {
    std::vector<int> branches{alternative()};
    while (!at_end() && src_[pos_] == '|') {
      ++pos_;
      branches.push_back(alternative());
    }
    if (branches.size() == 1) return branches[0];
    Re alt;
    alt.kind = Kind::kAlt;
    alt.children = std::move(branches);
    return add(std::move(alt));
  }

  int alternative() {
    Re seq;
    seq.kind = Kind::kSeq;
    while (!at_end() && src_[pos_] != '|' && src_[pos_] != ')') seq.children.push_back(term());
    return add(std::move(seq));
  }

  int term() {
    char c = src_[pos_];
    if (c == '^' || c == '$') {
      ++pos_;
      Re re;
      re.kind = c == '^' ? Kind::kStart : Kind::kEnd;
      return add(std::move(re));
    }
    if (c == '\\' && pos_ + 1 < src_.size() && (src_[pos_ + 1] == 'b' || src_[pos_ + 1] == 'B')) {
      Re re;
      re.kind = src_[pos_ + 1] == 'b' ? Kind::kWordBoundary : Kind::kNotWordBoundary;
      pos_ += 2;
      return add(std::move(re));
    }
    if (src_.substr(pos_, 3) == "(?=" || src_.substr(pos_, 3) == "(?!") {
      Re re;
      re.kind = Kind::kLook;
      re.negative = src_[pos_ + 2] == '!';
      pos_ += 3;
      re.children.push_back(disjunction());
      expect_close();
      return add(std::move(re));  // ECMAScript (unicode mode) does not quantify lookaheads.
    }
    int atom_index = atom();
    return quantifier(atom_index);
  }

  void expect_close() {
    if (at_end() || src_[pos_] != ')') fail("missing ')'");
    ++pos_;
  }

  int atom() {
    char c = src_[pos_];
    if (c == '(') {
      ++pos_;
      if (src_.substr(pos_, 2) == "?:") {
        pos_ += 2;
      } else if (src_.substr(pos_, 2) == "?<" && pos_ + 2 < src_.size() && src_[pos_ + 2] != '=' &&
                 src_[pos_ + 2] != '!') {
        std::size_t close = src_.find('>', pos_);
        if (close == std::string_view::npos) fail("unterminated group name");
        pos_ = close + 1;
      } else if (!at_end() && src_[pos_] == '?') {
        throw NotNative{};  // lookbehind and other extensions
      }
      int inner = disjunction();
      expect_close();
      return inner;
    }
    if (c == ')') fail("unmatched ')'");
    if (c == '*' || c == '+' || c == '?') fail("nothing to repeat");
    if (c == '{' && parse_braces_quantifier_lookahead()) fail("nothing to repeat");
    Re re;
    re.kind = Kind::kSet;
    if (c == '.') {
      ++pos_;
      re.set.add_range('\n', '\n');
      re.set.add_range('\r', '\r');
      re.set.add_range(0x2028, 0x2029);
      re.set.negated = true;
    } else if (c == '[') {
      ++pos_;
      re.set = char_class();
    } else if (c == '\\') {
      ++pos_;
      re.set = escape(false);
    } else {
      std::uint32_t cp = next();
      re.set.add_range(cp, cp);
    }
    return add(std::move(re));
  }

  // True when text at pos_ is "{n}", "{n,}" or "{n,m}" (a quantifier, not a literal brace).
  bool parse_braces_quantifier_lookahead() const {
    std::size_t p = pos_ + 1;
    std::size_t digits = 0;
    while (p < src_.size() && src_[p] >= '0' && src_[p] <= '9') ++p, ++digits;
    if (digits == 0) return false;
    if (p < src_.size() && src_[p] == ',') {
      ++p;
      while (p < src_.size() && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    return p < src_.size() && src_[p] == '}';
  }

  std::uint32_t read_number() {
    std::uint64_t value = 0;
    while (!at_end() && src_[pos_] >= '0' && src_[pos_] <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(src_[pos_] - '0');
      if (value > 100000) fail("repetition count too large");
      ++pos_;
    }
    return static_cast<std::uint32_t>(value);
  }

  int quantifier(int atom_index) {
    if (at_end()) return atom_index;
    char c = src_[pos_];
    std::uint32_t min = 0, max = 0;
    if (c == '*') {
      min = 0, max = kUnbounded, ++pos_;
    } else if (c == '+') {
      min = 1, max = kUnbounded, ++pos_;
    } else if (c == '?') {
      min = 0, max = 1, ++pos_;
    } else if (c == '{' && parse_braces_quantifier_lookahead()) {
      ++pos_;
      min = read_number();
      max = min;
      if (src_[pos_] == ',') {
        ++pos_;
        max = src_[pos_] == '}' ? kUnbounded : read_number();
      }
      ++pos_;  // '}'
      if (max < min) fail("numbers out of order in {} quantifier");
    } else {
      return atom_index;
    }
    Re re;
    re.kind = Kind::kRepeat;
    re.min = min;
    re.max = max;
    if (!at_end() && src_[pos_] == '?') {
      re.greedy = false;
      ++pos_;
    }
    re.children.push_back(atom_index);
    return add(std::move(re));
  }

  std::uint32_t hex_digits(std::size_t count) {
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (at_end()) fail("incomplete escape");
      char h = src_[pos_++];
      int d = (h >= '0' && h <= '9')   ? h - '0'
              : (h >= 'a' && h <= 'f') ? h - 'a' + 10
              : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                       : -1;
      if (d < 0) fail("invalid hex escape");
      value = value * 16 + static_cast<std::uint32_t>(d);
    }
    return value;
  }

  // After a backslash. in_class: "\b" is backspace there.
  CodePointSet escape(bool in_class) {
    if (at_end()) fail("\\ at end of pattern");
    std::uint32_t c = next();
    CodePointSet set;
    auto single = [&](std::uint32_t cp) {
      set.add_range(cp, cp);
      return set;
    };
    switch (c) {
      case 'd':
        return digit_set();
      case 'D': {
        auto s = digit_set();
        s.negated = true;
        return s;
      }
      case 'w':
        return word_set();
      case 'W': {
        auto s = word_set();
        s.negated = true;
        return s;
      }
      case 's':
        return space_set();
      case 'S': {
        auto s = space_set();
        s.negated = true;
        return s;
      }
      case 't':
        return single('\t');
      case 'n':
        return single('\n');
      case 'v':
        return single('\v');
      case 'f':
        return single('\f');
      case 'r':
        return single('\r');
      case '0':
        if (!at_end() && src_[pos_] >= '0' && src_[pos_] <= '9') throw NotNative{};
        return single(0);
      case 'c': {
        if (at_end()) fail("incomplete \\c escape");
        char letter = src_[pos_++];
        if (!((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z'))) {
          fail("invalid \\c escape");
        }
        return single(static_cast<std::uint32_t>(letter) % 32);
      }
      case 'x':
        return single(hex_digits(2));
      case 'u': {
        if (!at_end() && src_[pos_] == '{') {
          ++pos_;
          std::size_t close = src_.find('}', pos_);
          if (close == std::string_view::npos || close == pos_ || close - pos_ > 6) {
            fail("invalid \\u{} escape");
          }
          std::uint32_t cp = hex_digits(close - pos_);
          ++pos_;
          if (cp > 0x10FFFF) fail("code point out of range");
          return single(cp);
        }
        std::uint32_t unit = hex_digits(4);
        // A surrogate pair written as two \u escapes is one code point.
        if (unit >= 0xD800 && unit <= 0xDBFF && src_.substr(pos_, 2) == "\\u") {
          std::size_t saved = pos_;
          pos_ += 2;
          std::uint32_t low = hex_digits(4);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            return single(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
          }
          pos_ = saved;
        }
        return single(unit);
      }
      case 'b':
        if (in_class) return single('\b');
        break;
      case 'p':
      case 'P':
        fail("Unicode property escapes (\\p{...}) are not supported");
      case 'k':
        fail("named backreferences are not supported");
      default:
        break;
    }
    if (c >= '1' && c <= '9') throw NotNative{};  // backreference
    return single(c);                             // identity escape
  }

  CodePointSet char_class() {
    CodePointSet set;
    if (!at_end() && src_[pos_] == '^') {
      set.negated = true;
      ++pos_;
    }
    while (true) {
      if (at_end()) fail("missing ']'");
      if (src_[pos_] == ']') {
        ++pos_;
        return set;
      }
      // One class atom: a code point, or a whole set (\d etc.) that cannot start a range.
      auto class_atom = [&](std::uint32_t& cp) -> std::optional<CodePointSet> {
        if (src_[pos_] == '\\') {
          ++pos_;
          CodePointSet e = escape(true);
          bool single = !e.negated && e.ranges.empty() &&
                        __builtin_popcountll(e.ascii[0]) + __builtin_popcountll(e.ascii[1]) == 1;
          bool single_non_ascii = !e.negated && e.ascii[0] == 0 && e.ascii[1] == 0 &&
                                  e.ranges.size() == 1 && e.ranges[0].first == e.ranges[0].second;
          if (single) {
            cp = e.ascii[0] ? static_cast<std::uint32_t>(__builtin_ctzll(e.ascii[0]))
                            : 64 + static_cast<std::uint32_t>(__builtin_ctzll(e.ascii[1]));
            return std::nullopt;
          }
          if (single_non_ascii) {
            cp = e.ranges[0].first;
            return std::nullopt;
          }
          if (!e.negated) return e;
          CodePointSet plain = e;
          plain.negated = false;
          return complement(plain);
        }
        cp = next();
        return std::nullopt;
      };
      std::uint32_t lo = 0;
      auto lo_set = class_atom(lo);
      if (lo_set) {
        set.add(*lo_set);
        continue;
      }
      if (pos_ + 1 < src_.size() && src_[pos_] == '-' && src_[pos_ + 1] != ']') {
        ++pos_;
        std::uint32_t hi = 0;
        auto hi_set = class_atom(hi);
        if (hi_set) fail("invalid character class range");
        if (hi < lo) fail("range out of order in character class");
        set.add_range(lo, hi);
      } else {
        set.add_range(lo, lo);
      }
    }
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  std::vector<Re> nodes_;
};

}  // namespace

std::vector<Re> parse(std::string_view source, int& root) {
  Parser parser(source);
  return parser.parse(root);
}

}  // namespace coregate::schema::detail::regex
