#include "coregate/codecs/copybook/code_page.h"

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "sdk/codecs/copybook/src/codepage_tables.h"

namespace coregate::codecs::copybook {

CodePage::CodePage(std::string_view name, std::string_view iconv_name, bool ebcdic,
                   const char16_t* table)
    : name_(name), iconv_name_(iconv_name), ebcdic_(ebcdic) {
  for (int b = 0; b < 256; ++b) {
    to_unicode_[b] = table ? static_cast<char32_t>(table[b]) : static_cast<char32_t>(b);
    from_unicode_.emplace_back(to_unicode_[b], static_cast<std::uint8_t>(b));
  }
  // Keep the first byte for a code point that appears twice (none do in these pages).
  std::stable_sort(from_unicode_.begin(), from_unicode_.end(),
                   [](auto& a, auto& b) { return a.first < b.first; });
}

std::optional<std::uint8_t> CodePage::from_unicode(char32_t cp) const {
  auto it = std::lower_bound(from_unicode_.begin(), from_unicode_.end(), cp,
                             [](const auto& e, char32_t v) { return e.first < v; });
  if (it == from_unicode_.end() || it->first != cp) return std::nullopt;
  return it->second;
}

namespace {

const std::vector<std::unique_ptr<CodePage>>& registry() {
  static const std::vector<std::unique_ptr<CodePage>> pages = [] {
    std::vector<std::unique_ptr<CodePage>> v;
    for (const auto& t : detail::code_page_tables())
      v.push_back(std::make_unique<CodePage>(t.name, t.iconv_name, true, t.to_unicode));
    v.push_back(std::make_unique<CodePage>("latin1", "ISO-8859-1", false, nullptr));
    return v;
  }();
  return pages;
}

std::string canonical(std::string_view name) {
  std::string s;
  for (char c : name)
    if (c != '-' && c != '_')
      s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (s == "ascii" || s == "iso88591") return "latin1";
  if (s.rfind("ibm", 0) == 0) s = "cp" + s.substr(3);
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) s = "cp" + s;
  // "cp37" -> "cp037"
  if (s.size() == 4 && s.rfind("cp", 0) == 0) s = "cp0" + s.substr(2);
  return s;
}

}  // namespace

const CodePage* CodePage::find(std::string_view name) {
  const std::string want = canonical(name);
  for (const auto& p : registry())
    if (p->name() == want) return p.get();
  return nullptr;
}

std::vector<std::string_view> CodePage::names() {
  std::vector<std::string_view> v;
  for (const auto& p : registry()) v.push_back(p->name());
  return v;
}

}  // namespace coregate::codecs::copybook
