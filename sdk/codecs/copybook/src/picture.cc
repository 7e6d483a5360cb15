#include "sdk/codecs/copybook/src/picture.h"

#include <cctype>

namespace coregate::codecs::copybook::detail {

namespace {

bool is_edit_symbol(char c) {
  switch (c) {
    case 'Z':
    case '*':
    case '+':
    case '-':
    case 'B':
    case '0':
    case '/':
    case ',':
    case '.':
    case '$':
    case 'C':
    case 'R':
    case 'D':
    case 'E':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string analyze_picture(std::string_view text, bool decimal_point_is_comma, Picture& out,
                            std::size_t& column) {
  out = Picture{};
  out.text = std::string(text);
  if (text.empty()) {
    column = 0;
    return "empty PICTURE";
  }
  // Expand repeat counts: "9(5)" -> "99999".
  std::string sym;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    if (c == '(') {
      if (sym.empty()) {
        column = i;
        return "repeat count without a symbol before it";
      }
      std::size_t close = text.find(')', i);
      if (close == std::string_view::npos || close == i + 1) {
        column = i;
        return "unterminated or empty repeat count";
      }
      long count = 0;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (!std::isdigit(static_cast<unsigned char>(text[k]))) {
          column = k;
          return "repeat count is not a number";
        }
        count = count * 10 + (text[k] - '0');
        if (count > 1000000) {
          column = i;
          return "repeat count too large";
        }
      }
      if (count == 0) {
        column = i;
        return "repeat count of zero";
      }
      sym.append(static_cast<std::size_t>(count - 1), sym.back());
      i = close;
      continue;
    }
    if (c == ')') {
      column = i;
      return "')' without '('";
    }
    if (!(c == '9' || c == 'X' || c == 'A' || c == 'S' || c == 'V' || c == 'P' || c == 'N' ||
          c == 'G' || is_edit_symbol(c))) {
      column = i;
      return std::string("unknown PICTURE symbol '") + text[i] + "'";
    }
    sym.push_back(c);
  }
  if (sym.size() > 100000) {
    column = 0;
    return "PICTURE too long";
  }
  out.symbols = sym;
  const char point = decimal_point_is_comma ? ',' : '.';

  bool has_text = false, has_edit = false, has_nine = false;
  for (char c : sym) {
    if (c == 'X' || c == 'A' || c == 'N' || c == 'G') has_text = true;
    if (c == '9') has_nine = true;
    if (is_edit_symbol(c) && c != point) has_edit = true;
  }
  if (has_text) {
    out.category = Category::kAlphanumeric;
    out.display_length = static_cast<int>(sym.size());
    for (char c : sym) {
      if (c == 'S' || c == 'V' || c == 'P') {
        column = 0;
        return "S, V or P in an alphanumeric PICTURE";
      }
    }
    return {};
  }
  // 'E' only appears in floating-point edited pictures, which we do not support.
  if (sym.find('E') != std::string::npos) {
    column = sym.find('E');
    return "floating-point edited PICTURE (E) is not supported";
  }
  // Numeric (possibly with an explicit point) or numeric edited.
  std::size_t s_count = 0;
  for (std::size_t i = 0; i < sym.size(); ++i) {
    if (sym[i] == 'S') {
      if (i != 0) {
        column = i;
        return "S must be the first PICTURE symbol";
      }
      ++s_count;
    }
  }
  if (s_count) out.is_signed = true;
  const bool edited = has_edit;
  out.category = edited ? Category::kNumericEdited : Category::kNumeric;

  // Digit positions: 9, Z, *, and every floating insertion symbol (+, -, $) after the first of a
  // run of two or more.
  int digits = 0, after_point = 0, p_left = 0, p_right = 0, chars = 0;
  bool seen_point = false, seen_digit = false;
  char floating = 0;
  for (std::size_t i = 0; i < sym.size(); ++i) {
    char c = sym[i];
    bool digit_pos = false;
    switch (c) {
      case 'S':
        continue;
      case 'V':
        if (seen_point) {
          column = i;
          return "more than one decimal point in PICTURE";
        }
        seen_point = true;
        continue;
      case 'P':
        if (seen_digit)
          ++p_right;
        else
          ++p_left;
        continue;
      case '9':
      case 'Z':
      case '*':
        digit_pos = true;
        break;
      case '+':
      case '-':
      case '$':
        if (floating == c) {
          digit_pos = true;
        } else if (i + 1 < sym.size() && sym[i + 1] == c) {
          floating = c;  // first of a floating run: the sign/currency position itself
        }
        if (c != '$') out.is_signed = true;
        break;
      case 'C':
      case 'D':
        out.is_signed = true;
        break;
      default:
        if (c == point) {
          if (seen_point) {
            column = i;
            return "more than one decimal point in PICTURE";
          }
          seen_point = true;
          out.explicit_point = true;
        }
        break;
    }
    ++chars;
    if (digit_pos) {
      ++digits;
      seen_digit = true;
      if (seen_point) ++after_point;
      if (p_right) {
        column = i;
        return "P must be at the left or right end of the digits";
      }
    }
  }
  if (!has_nine && !edited) {
    column = 0;
    return "numeric PICTURE without digits";
  }
  if (digits == 0) {
    column = 0;
    return "PICTURE has no digit positions";
  }
  if (digits > 38) {
    column = 0;
    return "more than 38 digits";
  }
  out.digits = digits;
  out.display_length = chars;
  if (p_left)
    out.scale = p_left + digits;  // "PPP999" / "VPPP999": every stored digit is fractional
  else if (p_right)
    out.scale = -p_right;  // "999PPP": the value is scaled up
  else
    out.scale = after_point;
  return {};
}

std::size_t binary_length(int digits, bool binary_size_1_2_4_8) {
  if (binary_size_1_2_4_8 && digits <= 2) return 1;
  if (digits <= 4) return 2;
  if (digits <= 9) return 4;
  if (digits <= 18) return 8;
  // Fewest bytes holding 10^digits - 1 plus a sign bit (IBM ARITH(EXTEND) style, as Cobrix).
  // bits = ceil(digits * log2(10)) + 1, computed exactly by counting bits of 10^digits - 1.
  unsigned __int128 v = 1;
  for (int i = 0; i < digits; ++i) v *= 10;
  v -= 1;
  int bits = 0;
  while (v) {
    ++bits;
    v >>= 1;
  }
  return static_cast<std::size_t>((bits + 1 + 7) / 8);
}

std::size_t storage_length(const Picture& picture, Usage usage, SignPosition sign,
                           bool binary_size_1_2_4_8) {
  switch (usage) {
    case Usage::kFloat32:
    case Usage::kIndex:
    case Usage::kPointer:
      return 4;
    case Usage::kFloat64:
      return 8;
    case Usage::kPacked:
      return static_cast<std::size_t>(picture.digits / 2 + 1);
    case Usage::kBinary:
    case Usage::kNativeBinary:
      return binary_length(picture.digits, binary_size_1_2_4_8);
    case Usage::kDisplay:
      break;
  }
  std::size_t n = static_cast<std::size_t>(picture.display_length);
  if (sign == SignPosition::kLeadingSeparate || sign == SignPosition::kTrailingSeparate) ++n;
  return n;
}

}  // namespace coregate::codecs::copybook::detail
