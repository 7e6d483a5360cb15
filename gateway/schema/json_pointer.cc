#include "gateway/schema/json_pointer.h"

#include <charconv>

namespace coregate::schema::detail {

void append_pointer_token(std::string& pointer, std::string_view token) {
  pointer.push_back('/');
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

namespace {

// Unescapes one reference token; false on "~" not followed by 0 or 1.
bool unescape_token(std::string_view token, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~') {
      out.push_back(token[i]);
      continue;
    }
    if (i + 1 >= token.size()) return false;
    char next = token[++i];
    if (next == '0') {
      out.push_back('~');
    } else if (next == '1') {
      out.push_back('/');
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

const boost::json::value* resolve_pointer(const boost::json::value& root,
                                          std::string_view pointer) {
  const boost::json::value* current = &root;
  if (pointer.empty()) return current;
  if (pointer.front() != '/') return nullptr;
  std::string token;
  std::size_t pos = 1;
  while (true) {
    std::size_t end = pointer.find('/', pos);
    std::string_view raw = pointer.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (!unescape_token(raw, token)) return nullptr;
    if (const auto* object = current->if_object()) {
      auto it = object->find(token);
      if (it == object->end()) return nullptr;
      current = &it->value();
    } else if (const auto* array = current->if_array()) {
      std::size_t index = 0;
      auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || ptr != token.data() + token.size() || token.empty() ||
          (token.size() > 1 && token[0] == '0') || index >= array->size()) {
        return nullptr;
      }
      current = &(*array)[index];
    } else {
      return nullptr;
    }
    if (end == std::string_view::npos) return current;
    pos = end + 1;
  }
}

bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex(in[i + 1]);
    int lo = hex(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

}  // namespace coregate::schema::detail
