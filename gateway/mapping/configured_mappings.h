// The mappings a gateway config names ("mappings": a folder or a list of folders of mapping files,
// relative to the config file), compiled once and type-checked against the canonical schemas. Used
// by `serve` and `check` alike, so a mapping `check` accepts is exactly one `serve` runs.
#pragma once

#include <filesystem>
#include <memory>

#include "gateway/config/config_node.h"
#include "gateway/mapping/mapping_registry.h"

namespace coregate::mapping {

// Throws MappingLoadError listing every bad file, config::ConfigError for a bad "mappings" value.
// `schemas_directory` is the canonical schema folder (intake.schemas). An empty registry when the
// config names no mapping folder.
std::unique_ptr<MappingRegistry> load_configured_mappings(
    const config::ConfigNode& root, const std::filesystem::path& schemas_directory);

}  // namespace coregate::mapping
