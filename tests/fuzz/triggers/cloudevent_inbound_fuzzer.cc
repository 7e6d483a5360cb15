// Feeds arbitrary bytes through the CloudEvents inbound parsers: structured mode (the whole input
// as the body) and binary mode (the first lines "name: value" as headers, the rest as the body).
// Any crash or sanitizer report is a bug; a parse that succeeds must carry the required
// attributes and serialize back to a structured event the parser accepts again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/triggers/cloud_event.h"

namespace {

void check_round_trip(const coregate::triggers::CloudEventParse& parsed) {
  using namespace coregate::triggers;
  if (!parsed.ok) return;
  if (parsed.event.id.empty() || parsed.event.source.empty() || parsed.event.type.empty()) {
    std::abort();
  }
  if (!is_valid_utf8(parsed.event.id) || !is_valid_utf8(parsed.event.source)) std::abort();
  auto again = parse_structured_cloudevent(to_structured_json(parsed.event));
  if (!again.ok || again.event.id != parsed.event.id || again.event.type != parsed.event.type) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace coregate::triggers;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_round_trip(parse_structured_cloudevent(input));

  std::vector<std::pair<std::string, std::string>> headers;
  size_t at = 0;
  while (at < input.size()) {
    const size_t end = input.find('\n', at);
    if (end == std::string_view::npos) break;
    const std::string_view line = input.substr(at, end - at);
    at = end + 1;
    if (line.empty()) break;  // blank line: the body follows
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  check_round_trip(parse_binary_cloudevent(headers, input.substr(at)));
  (void)percent_decode(input);
  (void)is_rfc3339(input);
  return 0;
}
