// Resolving a source's rules against the rest of the config: its adapter is configured, its
// mapping is loaded and has to_canonical rules, its type has a canonical schema. Shared by the
// running gateway and `coregate check`, so a typo fails the check, not the first poll.
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "gateway/config/config_node.h"
#include "gateway/mapping/mapping_registry.h"
#include "gateway/schema/schema_registry.h"
#include "gateway/triggers/record_pipeline.h"
#include "gateway/triggers/triggers_config.h"

namespace coregate::triggers {

// Throws config::ConfigError naming `block`'s key (adapter, mapping or type).
CompiledRules compile_rules(const RecordRules& rules, const config::ConfigNode& block,
                            bool adapter_configured, const mapping::MappingRegistry& mappings,
                            const schema::SchemaRegistry& schemas);

// The config node of a source: triggers.sources.<kind>.<name>.
config::ConfigNode source_block(const config::ConfigNode& root, std::string_view kind,
                                const std::string& name);

// What `coregate check` can run without opening the trigger store or creating adapters: the
// "triggers" section's structure and every source's adapter, mapping and type. Throws
// config::ConfigError for the first problem.
void check_triggers_config(const config::ConfigNode& root,
                           const std::filesystem::path& outcome_store_path,
                           const std::function<bool(std::string_view)>& adapter_configured,
                           const mapping::MappingRegistry& mappings,
                           const std::filesystem::path& schemas_directory);

}  // namespace coregate::triggers
