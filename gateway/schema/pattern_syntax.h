// The parsed form of a "pattern" regex (ECMA-262 subset), shared by the two matchers: the DFA
// (pattern_dfa.h, used whenever the expression allows it) and the backtracking matcher
// (pattern.cc, for lookahead and word boundaries). Internal to coregate_schema.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace coregate::schema::detail::regex {

// Decodes the UTF-8 code point at text[pos]; malformed bytes decode as themselves (length 1).
inline std::uint32_t decode(std::string_view text, std::size_t pos, std::size_t& length) {
  auto b0 = static_cast<unsigned char>(text[pos]);
  if (b0 < 0x80) {
    length = 1;
    return b0;
  }
  auto cont = [&](std::size_t i) -> int {
    if (pos + i >= text.size()) return -1;
    auto b = static_cast<unsigned char>(text[pos + i]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  if ((b0 & 0xE0) == 0xC0) {
    int c1 = cont(1);
    if (c1 >= 0) {
      length = 2;
      return ((b0 & 0x1Fu) << 6) | static_cast<std::uint32_t>(c1);
    }
  } else if ((b0 & 0xF0) == 0xE0) {
    int c1 = cont(1), c2 = c1 >= 0 ? cont(2) : -1;
    if (c2 >= 0) {
      length = 3;
      return ((b0 & 0x0Fu) << 12) | (static_cast<std::uint32_t>(c1) << 6) |
             static_cast<std::uint32_t>(c2);
    }
  } else if ((b0 & 0xF8) == 0xF0) {
    int c1 = cont(1), c2 = c1 >= 0 ? cont(2) : -1, c3 = c2 >= 0 ? cont(3) : -1;
    if (c3 >= 0) {
      length = 4;
      return ((b0 & 0x07u) << 18) | (static_cast<std::uint32_t>(c1) << 12) |
             (static_cast<std::uint32_t>(c2) << 6) | static_cast<std::uint32_t>(c3);
    }
  }
  length = 1;
  return b0;
}

// Thrown by the parser for syntax neither native matcher implements (try std::regex).
struct NotNative {};

struct CodePointSet {
  std::uint64_t ascii[2] = {0, 0};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // non-ASCII part
  bool negated = false;

  void add_range(std::uint32_t lo, std::uint32_t hi) {
    for (std::uint32_t c = lo; c <= hi && c < 128; ++c)
      ascii[c >> 6] |= std::uint64_t{1} << (c & 63);
    if (hi >= 128) ranges.emplace_back(lo < 128 ? 128 : lo, hi);
  }
  void add(const CodePointSet& other) {
    // Only called with non-negated sets, or with complements materialised by add_complement.
    ascii[0] |= other.ascii[0];
    ascii[1] |= other.ascii[1];
    ranges.insert(ranges.end(), other.ranges.begin(), other.ranges.end());
  }
  bool contains_raw(std::uint32_t c) const {
    if (c < 128) return (ascii[c >> 6] >> (c & 63)) & 1;
    for (const auto& [lo, hi] : ranges) {
      if (c >= lo && c <= hi) return true;
    }
    return false;
  }
  bool matches(std::uint32_t c) const { return contains_raw(c) != negated; }
};

enum class Kind { kSet, kSeq, kAlt, kRepeat, kStart, kEnd, kWordBoundary, kNotWordBoundary, kLook };

struct Re {
  Kind kind = Kind::kSeq;
  CodePointSet set;
  std::vector<int> children;  // indices into Program::nodes
  std::uint32_t min = 0;
  std::uint32_t max = 0;  // UINT32_MAX = unbounded
  bool greedy = true;
  bool negative = false;  // for kLook
};

constexpr std::uint32_t kUnbounded = UINT32_MAX;

// Parses `source`; returns the nodes and sets `root`. Throws std::invalid_argument for a bad
// expression and NotNative for valid syntax only std::regex can run (backreferences, lookbehind).
std::vector<Re> parse(std::string_view source, int& root);

bool is_word_char(std::uint32_t c);

// The backtracking matcher (pattern.cc): unanchored search, bounded work and depth. nullopt when
// the budget ran out before an answer.
std::optional<bool> backtracking_search(const std::vector<Re>& nodes, int root,
                                        std::string_view text);

}  // namespace coregate::schema::detail::regex
