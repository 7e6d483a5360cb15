#include "gateway/mapping/text_format.h"

#include <array>
#include <cstdio>

namespace coregate::mapping {
namespace {

// Decodes one code point at text[i] (valid UTF-8 assumed; a stray byte counts as itself).
char32_t decode(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  int extra = byte < 0x80 ? 0 : byte < 0xE0 ? 1 : byte < 0xF0 ? 2 : 3;
  char32_t cp = extra == 0   ? byte
                : extra == 1 ? (byte & 0x1F)
                : extra == 2 ? (byte & 0x0F)
                             : (byte & 0x07);
  ++i;
  for (int k = 0; k < extra && i < text.size(); ++k, ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
  }
  return cp;
}

constexpr bool is_ebcdic_invariant(char32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) return true;
  switch (cp) {
    case ' ':
    case '+':
    case '<':
    case '=':
    case '>':
    case '%':
    case '&':
    case '*':
    case '"':
    case '\'':
    case '(':
    case ')':
    case ',':
    case '_':
    case '-':
    case '.':
    case '/':
    case ':':
    case ';':
    case '?':
      return true;
    default:
      return false;
  }
}

// Byte offset of the first `count` code points.
std::size_t prefix_bytes(std::string_view text, std::size_t count) {
  std::size_t i = 0;
  for (std::size_t n = 0; n < count && i < text.size(); ++n) decode(text, i);
  return i;
}

}  // namespace

std::size_t count_code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char byte : utf8) n += (byte & 0xC0) != 0x80;
  return n;
}

FitOutcome fit_to_width(std::string_view text, const TextLayout& layout, std::string& out) {
  out.clear();
  const auto width = static_cast<std::size_t>(layout.width);
  const std::size_t length = count_code_points(text);
  if (length > width) {
    if (!layout.truncate) return FitOutcome::too_long;
    // Keep the significant end: names lose their tail, right-aligned numbers their head.
    if (layout.align_right) {
      out.assign(text.substr(prefix_bytes(text, length - width)));
    } else {
      out.assign(text.substr(0, prefix_bytes(text, width)));
    }
    return FitOutcome::fitted;
  }
  out.reserve(text.size() + (width - length));
  if (layout.align_right) out.append(width - length, layout.pad);
  out.append(text);
  if (!layout.align_right) out.append(width - length, layout.pad);
  return FitOutcome::fitted;
}

std::string_view trim_padding(std::string_view text, const TextLayout& layout) {
  if (!layout.trim) return text;
  if (layout.align_right) {
    std::size_t start = 0;
    while (start < text.size() && text[start] == layout.pad) ++start;
    // An all-zero number keeps one zero so "0000" reads as "0", not as nothing.
    if (start == text.size() && start > 0 && layout.pad == '0') --start;
    return text.substr(start);
  }
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == layout.pad) --end;
  return text.substr(0, end);
}

namespace {

using ByteTable = std::array<bool, 256>;

constexpr ByteTable allowed_bytes(bool ebcdic) {
  ByteTable table{};
  for (char32_t cp = 0x20; cp < 0x7F; ++cp) table[cp] = !ebcdic || is_ebcdic_invariant(cp);
  return table;
}

constexpr ByteTable kAsciiAllowed = allowed_bytes(false);
constexpr ByteTable kEbcdicAllowed = allowed_bytes(true);

}  // namespace

std::optional<UnrepresentableCharacter> find_unrepresentable(std::string_view utf8,
                                                             Charset charset) {
  if (charset == Charset::utf8 || charset == Charset::code_page) return std::nullopt;
  // Fast path: every byte is an allowed ASCII character (the normal case) — no decoding. One
  // 256-entry table per charset (bytes >= 0x80 are never allowed here), built once at start-up,
  // so the loop is a load and a test per byte.
  const auto& allowed = charset == Charset::ascii ? kAsciiAllowed : kEbcdicAllowed;
  bool all_allowed = true;
  for (unsigned char byte : utf8) {
    if (!allowed[byte]) {
      all_allowed = false;
      break;
    }
  }
  if (all_allowed) return std::nullopt;
  std::size_t i = 0;
  for (std::size_t index = 0; i < utf8.size(); ++index) {
    const char32_t cp = decode(utf8, i);
    const bool ok =
        charset == Charset::ascii ? (cp >= 0x20 && cp <= 0x7E) : is_ebcdic_invariant(cp);
    if (!ok) return UnrepresentableCharacter{index, cp};
  }
  return std::nullopt;
}

std::string describe_code_point(char32_t cp) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
  if (cp >= 0x20 && cp != 0x7F) {
    std::string out = "'";
    // Re-encode as UTF-8 for the message.
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return out + "' (" + hex + ")";
  }
  return std::string("control character ") + hex;
}

}  // namespace coregate::mapping
