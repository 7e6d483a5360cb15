// Fixed-width text and character-set checks for values bound for a system record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::mapping {

// Where a fixed-width value sits in its field.
struct TextLayout {
  int width = 0;             // characters (code points); 0 = no fixed width
  bool align_right = false;  // pad on the left (numbers) instead of the right (names)
  char pad = ' ';            // an ASCII character
  bool truncate = false;     // cut to width instead of failing when too long
  bool trim = true;          // reading from the system: strip `pad` on the padding side
};

// Number of code points in valid UTF-8 (Boost.JSON only hands out valid UTF-8).
std::size_t count_code_points(std::string_view utf8);

enum class FitOutcome : std::uint8_t { fitted, too_long };
// Pads (or, when the layout allows, truncates) `text` to `layout.width` into `out`.
[[nodiscard]] FitOutcome fit_to_width(std::string_view text, const TextLayout& layout,
                                      std::string& out);
// The value without its padding (the reading side of fit_to_width).
std::string_view trim_padding(std::string_view text, const TextLayout& layout);

// Character sets a system field may be bound to.
enum class Charset : std::uint8_t {
  utf8,              // anything (no check)
  ascii,             // printable ASCII, U+0020..U+007E
  ebcdic_invariant,  // characters at the same code point in every EBCDIC code page:
                     // A-Z a-z 0-9 space and + < = > % & * " ' ( ) , _ - . / : ; ?
  code_page,         // a named EBCDIC code page, checked through the copybook codec's tables
};

struct UnrepresentableCharacter {
  std::size_t position = 0;  // 0-based code-point index
  char32_t code_point = 0;
};
// The first character `charset` cannot hold, or nullopt. (Charset::code_page is checked by the
// caller with the copybook codec.)
std::optional<UnrepresentableCharacter> find_unrepresentable(std::string_view utf8,
                                                             Charset charset);

// "'é' (U+00E9)" for messages.
std::string describe_code_point(char32_t code_point);

}  // namespace coregate::mapping
