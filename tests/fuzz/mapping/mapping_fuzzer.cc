// Fuzzes the whole mapping path: the input is "<mapping JSON>\n----\n<record JSON>". Any mapping
// that loads is applied to the record in both directions, and its output mapped back. Allowed
// outcomes: MappingLoadError at load, a MapResult (ok or not) at run time. Anything else — a
// crash, a sanitizer report, another exception — is a bug.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/mapping/mapping.h"

namespace {

using coregate::mapping::Direction;

void exercise(const coregate::mapping::CompiledMapping& mapping, const boost::json::value& record) {
  for (Direction d : {Direction::to_system, Direction::to_canonical}) {
    auto result = mapping.apply(record, d);
    if (result.ok) {
      auto back = mapping.apply(result.output, d == Direction::to_system ? Direction::to_canonical
                                                                         : Direction::to_system);
      (void)back;
    } else {
      (void)result.diagnostic(mapping.name());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kSeparator = "\n----\n";
  const std::size_t split = text.find(kSeparator);
  const std::string_view mapping_text = text.substr(0, split);
  const std::string_view record_text = split == std::string_view::npos
                                           ? std::string_view("{}")
                                           : text.substr(split + kSeparator.size());

  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(mapping_text, ec);
  if (ec) return 0;
  boost::json::value record = boost::json::parse(record_text, ec);
  if (ec) record = boost::json::object();

  coregate::mapping::CompileOptions options;
  options.allow_unchecked_schema = true;  // no registry: canonical schema names are not checked
  options.layout_directory = "/nonexistent-coregate-fuzz";
  try {
    auto mapping = coregate::mapping::compile_mapping(document, "fuzz.json", options);
    exercise(*mapping, record);
  } catch (const coregate::mapping::MappingLoadError&) {
  }
  return 0;
}
