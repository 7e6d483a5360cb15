#include "plugins/rest/link_header.h"

#include <cctype>

namespace coregate::plugins::rest {
namespace {

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A parameter value: a quoted-string (with backslash escapes) or a token, up to ; or ,.
std::string read_value(std::string_view s, size_t& i) {
  std::string out;
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out.push_back(s[i++]);
    }
    if (i < s.size()) ++i;  // closing quote
    return out;
  }
  while (i < s.size() && s[i] != ';' && s[i] != ',') out.push_back(s[i++]);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
  return out;
}

}  // namespace

std::vector<LinkValue> parse_link_header(std::string_view s) {
  std::vector<LinkValue> links;
  size_t i = 0;
  while (i < s.size()) {
    skip_space(s, i);
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    if (i >= s.size()) break;
    if (s[i] != '<') {
      // Not a link-value: skip to the next comma.
      while (i < s.size() && s[i] != ',') ++i;
      continue;
    }
    size_t close = s.find('>', i + 1);
    if (close == std::string_view::npos) break;
    LinkValue link;
    link.target = std::string(s.substr(i + 1, close - i - 1));
    i = close + 1;
    while (true) {
      skip_space(s, i);
      if (i >= s.size() || s[i] != ';') break;
      ++i;
      skip_space(s, i);
      size_t name_start = i;
      while (i < s.size() && s[i] != '=' && s[i] != ';' && s[i] != ',' && s[i] != ' ') ++i;
      std::string name = lower(s.substr(name_start, i - name_start));
      skip_space(s, i);
      std::string value;
      if (i < s.size() && s[i] == '=') {
        ++i;
        skip_space(s, i);
        value = read_value(s, i);
      }
      if (name == "rel" && link.rels.empty()) {
        size_t p = 0;
        while (p < value.size()) {
          size_t q = value.find(' ', p);
          if (q == std::string::npos) q = value.size();
          if (q > p) link.rels.push_back(lower(std::string_view(value).substr(p, q - p)));
          p = q + 1;
        }
      }
    }
    links.push_back(std::move(link));
  }
  return links;
}

std::optional<std::string> link_with_rel(std::string_view header_value, std::string_view rel) {
  for (auto& link : parse_link_header(header_value)) {
    for (const auto& r : link.rels) {
      if (r == rel) return std::move(link.target);
    }
  }
  return std::nullopt;
}

}  // namespace coregate::plugins::rest
