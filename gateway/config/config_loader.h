// Loads the gateway configuration from a .json, .xml or .info file (Boost.PropertyTree, DESIGN §2),
// expanding ${env:NAME} and ${file:PATH} secret references at load.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "gateway/config/config_node.h"

namespace coregate::config {

struct LoadedConfig {
  ConfigNode root;
  std::filesystem::path file;
};

// Throws ConfigError naming the file (and the line, for a syntax error) when the file cannot be
// read or parsed, has an unsupported extension, or holds a bad secret reference. An XML file's
// root element (any name, e.g. <coregate>) is the config object.
LoadedConfig load_config_file(const std::filesystem::path& file);

// The same from JSON text, attributed to `file_label` in errors. For tests and embedded configs.
ConfigNode config_from_json_text(std::string_view json_text, std::string file_label);

}  // namespace coregate::config
