#include "gateway/plugin_host/plugin_catalog.h"

#include <algorithm>
#include <system_error>

namespace coregate::plugin_host {
namespace {

bool looks_like_plugin(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  return name.rfind("libcoregate_", 0) == 0 && name.size() > 3 && name.ends_with(".so");
}

}  // namespace

PluginCatalog PluginCatalog::discover(const std::vector<std::filesystem::path>& directories) {
  PluginCatalog catalog;
  for (const auto& directory : directories) {
    std::error_code ec;
    if (!std::filesystem::is_directory(directory, ec)) {
      catalog.refusals_.push_back(
          {directory, "plugin path is not a directory (check plugin_path)"});
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
      if (looks_like_plugin(entry.path())) files.push_back(entry.path());
    }
    if (ec) {
      catalog.refusals_.push_back({directory, "cannot list the plugin directory: " + ec.message()});
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      LoadResult loaded = load_plugin_library(file);
      if (!loaded.library) {
        catalog.refusals_.push_back({file, std::move(loaded.refusal)});
        continue;
      }
      if (auto existing = catalog.find(loaded.library->name())) {
        catalog.refusals_.push_back(
            {file, "declares plugin name '" + loaded.library->name() + "', already provided by " +
                       existing->file().string() + ": remove one of them from the plugin path"});
        continue;
      }
      catalog.plugins_.push_back(std::move(loaded.library));
    }
  }
  std::sort(catalog.plugins_.begin(), catalog.plugins_.end(),
            [](const auto& a, const auto& b) { return a->name() < b->name(); });
  return catalog;
}

std::shared_ptr<const PluginLibrary> PluginCatalog::find(std::string_view name) const {
  for (const auto& p : plugins_) {
    if (p->name() == name) return p;
  }
  return nullptr;
}

std::string PluginCatalog::names() const {
  std::string out;
  for (const auto& p : plugins_) {
    if (!out.empty()) out += ", ";
    out += p->name();
  }
  return out.empty() ? "none" : out;
}

std::filesystem::path default_plugin_directory() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "plugins";
  return (exe.parent_path().parent_path() / "plugins").lexically_normal();
}

}  // namespace coregate::plugin_host
