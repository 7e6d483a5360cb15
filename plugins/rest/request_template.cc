#include "plugins/rest/request_template.h"

#include <cctype>

namespace coregate::plugins::rest {

std::string percent_encode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
  }
  return out;
}

Rendered render_template(std::string_view text, const TemplateLookup& lookup,
                         TemplateEscaping escaping) {
  Rendered r;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      r.text.push_back('{');
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      r.text.push_back('}');
      ++i;
      continue;
    }
    if (c != '{') {
      r.text.push_back(c);
      continue;
    }
    size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      r.error = "unclosed '{' in template '" + std::string(text) + "'";
      return r;
    }
    std::string_view name = text.substr(i + 1, close - i - 1);
    if (name.empty()) {
      r.error = "empty placeholder {} in template '" + std::string(text) + "'";
      return r;
    }
    std::optional<std::string> value = lookup ? lookup(name) : std::nullopt;
    if (!value) {
      r.error = "the record has no value for {" + std::string(name) + "}";
      return r;
    }
    r.text += escaping == TemplateEscaping::kPathSegment ? percent_encode(*value) : *value;
    i = close;
  }
  r.ok = true;
  return r;
}

std::optional<std::string> first_template_error(std::string_view text) {
  Rendered r = render_template(
      text, [](std::string_view) { return std::optional<std::string>(""); },
      TemplateEscaping::kNone);
  if (r.ok) return std::nullopt;
  return r.error;
}

}  // namespace coregate::plugins::rest
