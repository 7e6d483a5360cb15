// Discovery: every libcoregate_<name>.so on the plugin path, loaded and validated, plus the
// reason for each one refused. Built-in plugins (build/plugins) take this same path.
//
// Thread-safety: immutable after discover().
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/plugin_host/plugin_library.h"

namespace coregate::plugin_host {

struct PluginRefusal {
  std::filesystem::path file;
  std::string reason;  // what is wrong and what to do
};

class PluginCatalog {
 public:
  // Scans each directory in order (not recursively) for files named libcoregate_*.so, in name
  // order. When two libraries declare the same plugin name, the first found wins and the other
  // is refused, naming both files. A directory that does not exist is reported as a refusal.
  static PluginCatalog discover(const std::vector<std::filesystem::path>& directories);

  // The plugin with this name, or nullptr.
  std::shared_ptr<const PluginLibrary> find(std::string_view name) const;
  const std::vector<std::shared_ptr<const PluginLibrary>>& plugins() const { return plugins_; }
  const std::vector<PluginRefusal>& refusals() const { return refusals_; }
  // "odbc, rest, testing" — for "unknown plugin" messages.
  std::string names() const;

 private:
  std::vector<std::shared_ptr<const PluginLibrary>> plugins_;
  std::vector<PluginRefusal> refusals_;
};

// The plugins folder that ships beside the binary: <dir of coregate>/../plugins.
std::filesystem::path default_plugin_directory();

}  // namespace coregate::plugin_host
