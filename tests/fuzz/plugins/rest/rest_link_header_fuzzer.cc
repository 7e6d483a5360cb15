// Link header parsing (poll paging) on arbitrary header values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plugins/rest/link_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view value(reinterpret_cast<const char*>(data), size);
  auto links = coregate::plugins::rest::parse_link_header(value);
  for (const auto& l : links) {
    if (l.target.size() > size) __builtin_trap();
  }
  (void)coregate::plugins::rest::link_with_rel(value, "next");
  return 0;
}
