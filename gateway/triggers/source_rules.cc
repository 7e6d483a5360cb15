#include "gateway/triggers/source_rules.h"

namespace coregate::triggers {

CompiledRules compile_rules(const RecordRules& rules, const config::ConfigNode& block,
                            bool adapter_configured, const mapping::MappingRegistry& mappings,
                            const schema::SchemaRegistry& schemas) {
  CompiledRules out;
  out.rules = rules;
  if (!adapter_configured) {
    block.fail("adapter", "no adapter named '" + rules.adapter + "' is configured");
  }
  if (!rules.mapping.empty()) {
    out.mapping = mappings.find(rules.mapping);
    if (!out.mapping) block.fail("mapping", "no mapping named '" + rules.mapping + "' is loaded");
    if (!out.mapping->supports(mapping::Direction::to_canonical)) {
      block.fail("mapping", "mapping '" + rules.mapping + "' has no to_canonical rules");
    }
  }
  out.schema = schemas.find("triggers/" + rules.type + ".json");
  if (!out.schema) {
    std::string known;
    for (const auto& name : schemas.list("triggers")) known += (known.empty() ? "" : ", ") + name;
    block.fail("type", "no canonical trigger schema schemas/triggers/" + rules.type +
                           ".json; known types: " + known);
  }
  out.event_source = "/coregate/sources/" + rules.source;
  out.event_type = "coregate.trigger." + rules.type;
  out.dataschema = out.schema->uri();
  return out;
}

config::ConfigNode source_block(const config::ConfigNode& root, std::string_view kind,
                                const std::string& name) {
  return root.child("triggers").child("sources").child(kind).child(name);
}

void check_triggers_config(const config::ConfigNode& root,
                           const std::filesystem::path& outcome_store_path,
                           const std::function<bool(std::string_view)>& adapter_configured,
                           const mapping::MappingRegistry& mappings,
                           const std::filesystem::path& schemas_directory) {
  const auto config = triggers_config_from(root, outcome_store_path);
  schema::SchemaRegistry schemas;
  schemas.load_directory(schemas_directory);
  for (const auto& source : config.poll_sources) {
    (void)compile_rules(source.rules, source_block(root, "poll", source.rules.source),
                        adapter_configured(source.rules.adapter), mappings, schemas);
  }
  for (const auto& source : config.inbound_sources) {
    (void)compile_rules(source.rules, source_block(root, "inbound", source.rules.source),
                        adapter_configured(source.rules.adapter), mappings, schemas);
  }
}

}  // namespace coregate::triggers
