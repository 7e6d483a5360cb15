// Schema x instance fuzzer: any bytes must either be refused (parse error / SchemaError) or
// validate without crashing, hanging or disagreeing with itself.
#include <boost/json/parse.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/schema/schema_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t split = input.find('\0');
  if (split == std::string_view::npos) return 0;
  boost::system::error_code ec;
  boost::json::value schema = boost::json::parse(input.substr(0, split), ec);
  if (ec) return 0;
  boost::json::value instance = boost::json::parse(input.substr(split + 1), ec);
  if (ec) return 0;
  coregate::schema::SchemaRegistry registry;
  std::shared_ptr<const coregate::schema::CompiledSchema> compiled;
  try {
    compiled = registry.compile(schema, "https://fuzz.coregate.invalid/schema.json");
  } catch (const coregate::schema::SchemaError&) {
    return 0;
  }
  std::vector<coregate::schema::ValidationError> errors;
  bool quick = compiled->validate(instance, nullptr);
  bool detailed = compiled->validate(instance, &errors);
  if (quick != detailed || detailed != errors.empty() ||
      errors.size() > coregate::schema::kMaxValidationErrors) {
    std::abort();
  }
  // The same instance against the schema reached through a $ref must give the same answer.
  boost::json::object wrapper{{"$ref", compiled->uri()}};
  std::shared_ptr<const coregate::schema::CompiledSchema> via_ref;
  try {
    via_ref = registry.compile(wrapper, "https://fuzz.coregate.invalid/wrapper.json");
  } catch (const coregate::schema::SchemaError&) {
    return 0;  // e.g. the schema's own $id already claimed the wrapper's URI
  }
  if (via_ref->validate(instance, nullptr) != quick) std::abort();
  return 0;
}
