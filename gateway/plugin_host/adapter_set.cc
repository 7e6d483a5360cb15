#include "gateway/plugin_host/adapter_set.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "gateway/config/did_you_mean.h"
#include "gateway/config/schema_coercion.h"
#include "gateway/schema/schema_registry.h"

namespace coregate::plugin_host {
namespace {

using config::ConfigError;
using config::ConfigNode;

bool valid_instance_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Validates one adapter block; returns the config JSON to hand to the plugin, or nothing after
// recording problems.
std::optional<std::string> checked_config(const ConfigNode& block, const PluginLibrary& plugin,
                                          std::vector<ConfigError>& problems) {
  const std::string where = block.path() + ".config";
  boost::json::value raw =
      block.has("config") ? block.child("config").json() : boost::json::object();
  if (raw.is_string() && raw.as_string().empty()) raw = boost::json::object();  // PropertyTree's {}
  boost::json::value schema_json = boost::json::parse(plugin.config_schema_json());
  boost::json::value config_value = config::coerce_to_schema(raw, schema_json);

  schema::SchemaRegistry registry;
  std::shared_ptr<const schema::CompiledSchema> compiled;
  try {
    compiled = registry.compile(schema_json, "coregate-plugin:" + plugin.name() + "/config.json");
  } catch (const schema::SchemaError& e) {
    problems.emplace_back(block.file(), where,
                          "plugin '" + plugin.name() + "' (" + plugin.file().string() +
                              ") declares a config schema this gateway cannot use: " + e.what());
    return std::nullopt;
  }
  std::vector<schema::ValidationError> errors;
  if (!compiled->validate(config_value, &errors)) {
    for (const auto& e : errors) {
      std::string path = where;
      // "/faults/rate" -> ".faults.rate"
      for (char c : e.instance_pointer) path += c == '/' ? '.' : c;
      problems.emplace_back(
          block.file(), path,
          e.message + " (" + e.keyword + ", per the " + plugin.name() + " plugin's schema)");
    }
    return std::nullopt;
  }
  return boost::json::serialize(config_value);
}

}  // namespace

std::string probe_create(const std::shared_ptr<const PluginLibrary>& plugin,
                         HostServices& services) {
  try {
    schema::SchemaRegistry registry;
    auto compiled = registry.compile(boost::json::parse(plugin->config_schema_json()),
                                     "coregate-plugin:" + plugin->name() + "/config.json");
    if (!compiled->validate(boost::json::object(), nullptr)) {
      return "not probed: the plugin needs configuration to create an adapter";
    }
  } catch (const std::exception& e) {
    return std::string("its config schema cannot be compiled: ") + e.what();
  }
  CreateResult created = AdapterInstance::create(plugin, "plugins-probe", "{}", services);
  return created.adapter ? std::string() : created.error;
}

std::vector<std::filesystem::path> plugin_path_of(const ConfigNode& root) {
  std::vector<std::filesystem::path> paths;
  for (const auto& p : root.strings_or("plugin_path", {})) paths.push_back(root.resolve_path(p));
  std::filesystem::path builtin = default_plugin_directory();
  bool listed = false;
  for (const auto& p : paths)
    listed |= std::filesystem::weakly_canonical(p) == std::filesystem::weakly_canonical(builtin);
  if (!listed && std::filesystem::is_directory(builtin)) paths.push_back(builtin);
  return paths;
}

AdapterSet AdapterSet::build(const ConfigNode& root, const PluginCatalog& catalog,
                             HostServices& services, bool create,
                             std::vector<ConfigError>& problems) {
  AdapterSet set;
  auto adapters = root.child_if("adapters");
  if (!adapters) return set;
  std::vector<std::string_view> block_keys(std::begin(kAdapterBlockKeys),
                                           std::end(kAdapterBlockKeys));
  for (auto& [name, block] : adapters->members()) {
    try {
      if (!valid_instance_name(name)) {
        block.fail("", "adapter names use a-z, 0-9, '_' and '-' (at most 64 characters)");
      }
      if (!block.json().is_object()) block.fail("", "expected an object with at least \"plugin\"");
      for (const auto& kv : block.json().as_object()) {
        if (std::find(block_keys.begin(), block_keys.end(), kv.key()) == block_keys.end()) {
          block.fail(kv.key(), config::unknown_key_message(kv.key(), block_keys));
        }
      }
      std::string plugin_name = block.string("plugin");
      auto plugin = catalog.find(plugin_name);
      if (!plugin) {
        block.fail("plugin", "no plugin named '" + plugin_name +
                                 "' on the plugin path (found: " + catalog.names() +
                                 "; `coregate plugins` shows what was refused and why)");
      }
      auto config_json = checked_config(block, *plugin, problems);
      if (!config_json) continue;
      Entry entry{name, block, nullptr};
      if (create) {
        CreateResult created = AdapterInstance::create(plugin, name, *config_json, services);
        if (!created.adapter) {
          block.fail("config",
                     "plugin '" + plugin_name + "' refused this config: " + created.error);
        }
        entry.instance = std::move(created.adapter);
      }
      set.entries_.push_back(std::move(entry));
    } catch (const ConfigError& e) {
      problems.push_back(e);
    }
  }
  return set;
}

const AdapterInstance* AdapterSet::find(std::string_view name) const {
  for (const auto& e : entries_) {
    if (e.name == name) return e.instance.get();
  }
  return nullptr;
}

}  // namespace coregate::plugin_host
