#include "coregate/codecs/copybook/model.h"

#include <cctype>

namespace coregate::codecs::copybook {

std::string_view to_string(Usage usage) {
  switch (usage) {
    case Usage::kDisplay:
      return "DISPLAY";
    case Usage::kBinary:
      return "COMP";
    case Usage::kNativeBinary:
      return "COMP-5";
    case Usage::kPacked:
      return "COMP-3";
    case Usage::kFloat32:
      return "COMP-1";
    case Usage::kFloat64:
      return "COMP-2";
    case Usage::kIndex:
      return "INDEX";
    case Usage::kPointer:
      return "POINTER";
  }
  return "?";
}

std::string_view to_string(Category category) {
  switch (category) {
    case Category::kGroup:
      return "group";
    case Category::kAlphanumeric:
      return "alphanumeric";
    case Category::kNumeric:
      return "numeric";
    case Category::kNumericEdited:
      return "numeric-edited";
    case Category::kFloat:
      return "float";
  }
  return "?";
}

std::size_t Copybook::record_length() const {
  std::size_t n = 0;
  for (int r : roots) n = std::max(n, fields[r].length);
  return n;
}

namespace {

std::string normalize(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == '_') c = '-';
  }
  return r;
}

}  // namespace

int Copybook::find(std::string_view path) const {
  const std::string want = normalize(path);
  if (want.empty()) return -1;
  int found = -1;
  for (int i = 0; i < static_cast<int>(fields.size()); ++i) {
    const std::string p = normalize(fields[i].path);
    if (p == want) return i;  // an exact full path always wins
    if (p.size() > want.size() && p.compare(p.size() - want.size(), want.size(), want) == 0 &&
        p[p.size() - want.size() - 1] == '.') {
      if (found >= 0)
        found = -2;  // ambiguous unless an exact match turns up
      else if (found == -1)
        found = i;
    }
  }
  return found >= 0 ? found : -1;
}

}  // namespace coregate::codecs::copybook
