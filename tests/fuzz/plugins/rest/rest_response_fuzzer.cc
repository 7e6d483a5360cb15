// Response classification and reference extraction on arbitrary answers: the first two bytes pick
// the status and the rule, the next line is a JSON pointer / header value, the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include <boost/json/parse.hpp>

#include "plugins/rest/classification.h"
#include "plugins/rest/json_pointer.h"

using namespace coregate::plugins::rest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 2, size - 2);
  size_t nl = text.find('\n');
  std::string pointer = nl == std::string::npos ? text : text.substr(0, nl);
  std::string body = nl == std::string::npos ? "" : text.substr(nl + 1);
  HttpAnswer a;
  a.status = 100 + data[0] % 500;
  a.body = body;
  a.cap = 1 << 20;
  a.body_over_cap = (data[1] & 0x80) != 0;
  a.headers = {{"retry-after", pointer}, {"location", pointer}};
  ClassificationRules rules;
  rules.target_dedups_by_key = (data[1] & 1) != 0;
  switch (data[1] % 4) {
    case 0:
      rules.reference = {ReferenceRule::Source::kAuto, "", ""};
      break;
    case 1:
      rules.reference = {ReferenceRule::Source::kJsonPointer, pointer, ""};
      break;
    case 2:
      rules.reference = {ReferenceRule::Source::kHeader, "", "location"};
      break;
    default:
      rules.reference = {ReferenceRule::Source::kKey, "", ""};
  }
  auto r = classify_answer(a, rules, "key", std::chrono::system_clock::now());
  (void)r;
  (void)parse_retry_after(pointer, std::chrono::system_clock::now());
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  if (!ec) (void)scalar_text(doc, pointer);
  return 0;
}
