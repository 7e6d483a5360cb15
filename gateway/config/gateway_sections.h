// The top-level sections of the gateway config. Each section is parsed by the component that owns
// it; this list only lets a misspelt section ("adaptors") fail with a hint instead of being
// ignored.
#pragma once

#include "gateway/config/config_node.h"

namespace coregate::config {

// Throws ConfigError for an unknown top-level key, with a "did you mean" hint.
inline void check_top_level_sections(const ConfigNode& root) {
  root.allow_only({"listen", "plugin_path", "log", "http", "store", "intake", "auth", "adapters",
                   "plans", "mappings", "credentials", "triggers", "$schema"});
}

}  // namespace coregate::config
