#include "gateway/mapping/configured_mappings.h"

#include "gateway/schema/schema_registry.h"

namespace coregate::mapping {

std::unique_ptr<MappingRegistry> load_configured_mappings(
    const config::ConfigNode& root, const std::filesystem::path& schemas_directory) {
  const std::vector<std::string> folders = root.strings_or("mappings", {});
  if (folders.empty()) return std::make_unique<MappingRegistry>();
  // Only the compiler reads the schemas (the compiled plans keep no reference to them).
  schema::SchemaRegistry schemas;
  schemas.load_directory(schemas_directory);
  CompileOptions options;
  options.schemas = &schemas;
  auto registry = std::make_unique<MappingRegistry>(options);
  for (const auto& folder : folders) registry->load_directory(root.resolve_path(folder));
  return registry;
}

}  // namespace coregate::mapping
