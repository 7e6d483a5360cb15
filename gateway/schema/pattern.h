// The "pattern" / "patternProperties" regular expression: ECMA-262 syntax, unanchored search
// (JSON Schema §6.3.3). Compiled once at schema load; search() is const and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace coregate::schema::detail {

class Pattern {
 public:
  // Throws std::invalid_argument naming the problem when `source` is not a regex we can run.
  explicit Pattern(std::string_view source);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;

  // True when the expression matches anywhere in the UTF-8 string `text`.
  [[nodiscard]] bool search(std::string_view text) const;
  const std::string& source() const { return source_; }

 private:
  struct Impl;
  std::string source_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::schema::detail
