#include "gateway/secrets/secret_reference.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gateway/secrets/secret_redactor.h"

namespace coregate::secrets {
namespace {

bool read_file(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read secret file " + path;
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  out = content.str();
  // Files written by editors and `echo` end in a newline that is never part of the secret.
  if (!out.empty() && out.back() == '\n') out.pop_back();
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return true;
}

}  // namespace

Expansion expand_references(std::string_view text) {
  Expansion result;
  result.value.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {  // escaped literal "${"
      result.value += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      result.value += text[i++];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      result.error = "unterminated reference '${' (write $${ for a literal)";
      return result;
    }
    std::string_view body = text.substr(i + 2, close - i - 2);
    std::string value;
    if (body.rfind("env:", 0) == 0) {
      std::string name(body.substr(4));
      if (name.empty()) {
        result.error = "empty environment variable name in ${env:}";
        return result;
      }
      const char* env = std::getenv(name.c_str());
      if (env == nullptr) {
        result.error = "environment variable " + name + " is not set";
        return result;
      }
      value = env;
    } else if (body.rfind("file:", 0) == 0) {
      std::string path(body.substr(5));
      if (path.empty()) {
        result.error = "empty path in ${file:}";
        return result;
      }
      if (!read_file(path, value, result.error)) return result;
    } else {
      result.error = "unknown reference '${" + std::string(body.substr(0, body.find(':'))) +
                     ":...}' (expected ${env:NAME} or ${file:PATH})";
      return result;
    }
    SecretRedactor::global().remember(value);
    result.value += value;
    result.had_reference = true;
    i = close + 1;
  }
  result.ok = true;
  return result;
}

}  // namespace coregate::secrets
