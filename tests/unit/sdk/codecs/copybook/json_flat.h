// Test helper: flattens one JSON text into path -> value, keeping number text exact (the
// expected files hold 37-digit numbers no double can carry) and unescaping strings.
#pragma once

#include <cctype>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace coregate::codecs::copybook::testing {

struct FlatValue {
  enum Kind { kString, kNumber, kBool, kNull } kind;
  std::string text;  // string value (unescaped) or number text
};

using Flat = std::map<std::string, FlatValue>;

class FlatParser {
 public:
  explicit FlatParser(std::string_view s) : s_(s) {}
  Flat parse() {
    Flat out;
    value("", out);
    ws();
    if (i_ != s_.size()) throw std::runtime_error("trailing text in JSON");
    return out;
  }

 private:
  void ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  char peek() {
    ws();
    if (i_ >= s_.size()) throw std::runtime_error("unexpected end of JSON");
    return s_[i_];
  }
  void expect(char c) {
    if (peek() != c)
      throw std::runtime_error(std::string("expected '") + c + "' at " + std::to_string(i_));
    ++i_;
  }
  static void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80)
      out.push_back(static_cast<char>(cp));
    else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  std::string str() {
    expect('"');
    std::string out;
    while (true) {
      if (i_ >= s_.size()) throw std::runtime_error("unterminated string");
      char c = s_[i_++];
      if (c == '"') break;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      char e = s_[i_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'u': {
          unsigned cp = static_cast<unsigned>(
              std::strtoul(std::string(s_.substr(i_, 4)).c_str(), nullptr, 16));
          i_ += 4;
          utf8(out, cp);
          break;
        }
        default:
          out.push_back(e);
      }
    }
    return out;
  }
  void value(const std::string& path, Flat& out) {
    char c = peek();
    if (c == '{') {
      ++i_;
      if (peek() == '}') {
        ++i_;
        return;
      }
      while (true) {
        std::string k = str();
        expect(':');
        value(path.empty() ? k : path + "." + k, out);
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return;
      }
    }
    if (c == '[') {
      ++i_;
      if (peek() == ']') {
        ++i_;
        return;
      }
      for (int n = 0;; ++n) {
        value(path + "[" + std::to_string(n) + "]", out);
        if (peek() == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return;
      }
    }
    if (c == '"') {
      out[path] = {FlatValue::kString, str()};
      return;
    }
    std::size_t st = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                              s_[i_] == '+' || s_[i_] == '.'))
      ++i_;
    std::string t(s_.substr(st, i_ - st));
    if (t == "true" || t == "false")
      out[path] = {FlatValue::kBool, t};
    else if (t == "null")
      out[path] = {FlatValue::kNull, t};
    else if (!t.empty())
      out[path] = {FlatValue::kNumber, t};
    else
      throw std::runtime_error("bad JSON value at " + std::to_string(st));
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

inline Flat flatten(std::string_view json) {
  return FlatParser(json).parse();
}

// Canonical exact decimal text: no '+', no leading zeros, no trailing fraction zeros, "0" for
// zero. Returns empty when `t` has an exponent (a float).
inline std::string canonical_decimal(std::string t) {
  if (t.find_first_of("eE") != std::string::npos) return {};
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.erase(0, 1);
  }
  std::string ip = t, fp;
  auto dot = t.find('.');
  if (dot != std::string::npos) {
    ip = t.substr(0, dot);
    fp = t.substr(dot + 1);
  }
  while (!ip.empty() && ip[0] == '0') ip.erase(0, 1);
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  if (ip.empty()) ip = "0";
  std::string r = ip;
  if (!fp.empty()) r += "." + fp;
  if (r == "0") neg = false;
  return neg ? "-" + r : r;
}

}  // namespace coregate::codecs::copybook::testing
