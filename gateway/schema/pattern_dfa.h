// A deterministic automaton for a parsed pattern, built once at schema load: matching is one table
// step per code point, no backtracking, no allocation. Expressions with lookahead or word
// boundaries, or whose automaton would exceed the state budget, are left to the backtracking
// matcher (build() returns nullopt).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "gateway/schema/pattern_syntax.h"

namespace coregate::schema::detail::regex {

class Dfa {
 public:
  static std::optional<Dfa> build(const std::vector<Re>& nodes, int root);

  // True when the expression matches anywhere in `text` (unanchored search).
  [[nodiscard]] bool search(std::string_view text) const;

 private:
  int class_of(std::uint32_t cp) const;

  int classes_ = 0;
  std::uint8_t ascii_class_[128] = {};
  std::vector<std::uint32_t> interval_starts_;  // code point intervals from 128 up
  std::vector<std::uint8_t> interval_class_;
  std::vector<std::int32_t> transitions_;         // state * classes_ + class -> state
  std::vector<std::uint16_t> ascii_transitions_;  // state * 128 + byte -> state (the hot path)
  // Per state: kAcceptNow | kDead | kAcceptAtEnd.
  std::vector<std::uint8_t> flags_;
  static constexpr std::uint8_t kAcceptNow = 1, kDead = 2, kAcceptAtEnd = 4;
};

}  // namespace coregate::schema::detail::regex
