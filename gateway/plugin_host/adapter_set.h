// The configured adapters: the "adapters" section of the gateway config, each block checked
// against its plugin's declared schema and created through the plugin's create hook.
//
//   "adapters": {
//     "core": {"plugin": "testing", "config": {...}, "concurrency": 8, ...engine keys...}
//   }
//
// Lifetime: owns its AdapterInstances (and through them their libraries). Thread-safety: immutable
// after build(); the instances themselves follow AdapterInstance's rules.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/config/config_node.h"
#include "gateway/plugin_host/adapter_instance.h"
#include "gateway/plugin_host/plugin_catalog.h"

namespace coregate::plugin_host {

// Keys of an adapter block that belong to the gateway (the engine reads them), not the plugin.
inline constexpr std::string_view kAdapterBlockKeys[] = {
    "plugin",  "config",       "concurrency",   "timeout",         "retry",
    "breaker", "on_ambiguous", "dedups_by_key", "health_interval", "health_timeout"};

class AdapterSet {
 public:
  struct Entry {
    std::string name;
    config::ConfigNode block;  // the whole adapter block, for the engine's keys
    std::unique_ptr<AdapterInstance> instance;
  };

  // Reads root.adapters; for each block: the plugin exists in `catalog`, the block has only known
  // keys, "config" (text types restored from the plugin's schema) is valid against the plugin's
  // schema, and create succeeds. Every problem is collected as a ConfigError naming the file and
  // the key path (adapters.<name>...), so `coregate check` can show them all at once; adapters
  // with problems are left out. When `create` is false nothing is created (schema checks only).
  static AdapterSet build(const config::ConfigNode& root, const PluginCatalog& catalog,
                          HostServices& services, bool create,
                          std::vector<config::ConfigError>& problems);

  const std::vector<Entry>& entries() const { return entries_; }
  const AdapterInstance* find(std::string_view name) const;

 private:
  std::vector<Entry> entries_;
};

// Smoke-tests a plugin's create hook the way `coregate plugins` does: when the plugin's schema
// accepts an empty config, creates an adapter from {} and destroys it. Returns "" when create
// worked, the create error otherwise, and "not probed: ..." when {} is not a valid config for it.
std::string probe_create(const std::shared_ptr<const PluginLibrary>& plugin,
                         HostServices& services);

// The plugin path of a config: its "plugin_path" entries (relative to the config file) followed by
// the built-in plugins folder beside the binary.
std::vector<std::filesystem::path> plugin_path_of(const config::ConfigNode& root);

}  // namespace coregate::plugin_host
