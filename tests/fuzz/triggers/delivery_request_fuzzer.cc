// Feeds arbitrary bytes through the parsers of the delivery endpoints: the pull limit, the ack
// body, the SSE resume position (Last-Event-ID / ?after=) and the type filter. Any crash or
// sanitizer report is a bug; accepted values must be within their documented bounds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gateway/triggers/delivery_requests.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace coregate::triggers;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto limit = parse_pull_limit(text);
  if (limit.error.empty() && (limit.limit < 1 || limit.limit > kMaxPullLimit)) std::abort();
  const auto ack = parse_ack_body(text);
  if (ack.error.empty()) {
    if (ack.ids.empty() || ack.ids.size() > kMaxAckIds) std::abort();
    for (const auto& id : ack.ids) {
      if (id.empty()) std::abort();
    }
  }
  const auto resume = parse_resume(text, std::nullopt);
  if (resume.error.empty() && (!resume.after || *resume.after < 0)) std::abort();
  (void)parse_resume(std::nullopt, text);
  for (const auto& type : parse_type_filter(text)) {
    if (type.empty() || type.find(',') != std::string::npos) std::abort();
  }
  return 0;
}
