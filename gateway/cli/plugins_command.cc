// `coregate plugins [--plugin-path DIR[:DIR...]] [--config FILE]`: what is on the plugin path,
// with ABI and version, and why anything was refused. Exit 0 when nothing was refused, 1 when
// something was, 2 for bad usage. Loading a broken plugin never takes this command down: every
// refusal is a line of output (see gateway/plugin_host/plugin_library.h).
#include <iomanip>
#include <sstream>

#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/config/config_loader.h"
#include "gateway/plugin_host/adapter_set.h"
#include "gateway/plugin_host/plugin_catalog.h"

namespace coregate::cli {
namespace {

std::string capability_list(uint64_t caps) {
  static const std::pair<uint64_t, const char*> names[] = {{CG_CAP_WRITE, "write"},
                                                           {CG_CAP_PROBE, "probe"},
                                                           {CG_CAP_POLL, "poll"},
                                                           {CG_CAP_INBOUND, "inbound"},
                                                           {CG_CAP_HEALTH, "health"}};
  std::string out;
  for (const auto& [bit, name] : names) {
    if (caps & bit) out += (out.empty() ? "" : ",") + std::string(name);
  }
  return out.empty() ? "-" : out;
}

std::vector<std::filesystem::path> split_path(const std::string& text) {
  std::vector<std::filesystem::path> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ':')) {
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace

int run_plugins_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a(
      "plugins",
      "List the plugins found on the plugin path, with ABI and version, and why any was refused.");
  a.option(
       "plugin-path", "DIR[:DIR...]",
       "folders to scan (default: the config's plugin_path, else build/plugins beside the binary)")
      .option("config", "FILE", "take the plugin path from this gateway config");
  if (!a.parse(args, err)) return 2;
  if (a.help_requested()) {
    a.print_usage(out);
    return 0;
  }
  std::vector<std::filesystem::path> paths;
  if (auto p = a.get("plugin-path")) {
    paths = split_path(*p);
  } else if (auto c = a.get("config")) {
    try {
      paths = plugin_host::plugin_path_of(config::load_config_file(*c).root);
    } catch (const config::ConfigError& e) {
      err << "coregate plugins: " << e.what() << "\n";
      return 2;
    }
  } else {
    paths = {plugin_host::default_plugin_directory()};
  }
  if (paths.empty()) {
    err << "coregate plugins: the plugin path is empty\n";
    return 2;
  }

  auto catalog = plugin_host::PluginCatalog::discover(paths);
  std::vector<plugin_host::PluginRefusal> refused = catalog.refusals();
  out << "plugin path: ";
  for (size_t i = 0; i < paths.size(); ++i) out << (i ? ":" : "") << paths[i].string();
  out << "\n\n";
  if (catalog.plugins().empty()) {
    out << "no plugins loaded\n";
  } else {
    out << std::left << std::setw(16) << "PLUGIN" << std::setw(10) << "VERSION" << std::setw(6)
        << "ABI" << std::setw(32) << "CAPABILITIES"
        << "FILE\n";
    for (const auto& p : catalog.plugins()) {
      // A create hook that throws or fails is a broken plugin too; try it where no config is
      // needed.
      std::string create_problem =
          plugin_host::probe_create(p, plugin_host::default_host_services());
      if (!create_problem.empty() && create_problem.rfind("not probed", 0) != 0) {
        refused.push_back({p->file(), "loads, but its create hook fails with an empty config: " +
                                          create_problem});
        continue;
      }
      out << std::left << std::setw(16) << p->name() << std::setw(10) << p->version()
          << std::setw(6) << (std::to_string(p->abi_major()) + "." + std::to_string(p->abi_minor()))
          << std::setw(32) << capability_list(p->capabilities()) << p->file().string() << "\n"
          << std::setw(16) << ""
          << "built with " << p->build_signature() << "\n";
    }
  }
  if (!refused.empty()) {
    out << "\nrefused:\n";
    for (const auto& r : refused) {
      out << "  " << r.file.string() << "\n      " << r.reason << "\n";
    }
  }
  return refused.empty() ? 0 : 1;
}

}  // namespace coregate::cli
