// `coregate check --config FILE`: everything `serve` would do before listening — read the config,
// load plugins, validate and create every adapter, compile mappings — and report every problem
// with file and key, so a typo fails here and not in a writeback at 2 a.m.
// Exit 0 when the config is good, 1 when it has problems, 2 for bad usage.
#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/config/config_loader.h"
#include "gateway/config/gateway_sections.h"
#include "gateway/logging/logging.h"
#include "gateway/plugin_host/adapter_set.h"
#include "gateway/plugin_host/host_services.h"

namespace coregate::cli {

int run_check_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a("check", "Validate a gateway config: load plugins, check and create adapters, report every problem.");
  a.option("config", "FILE", "the gateway config (.json, .xml or .info)", true)
      .flag("no-create", "check adapter blocks against their schemas without creating the adapters");
  if (!a.parse(args, err)) return 2;
  if (a.help_requested()) {
    a.print_usage(out);
    return 0;
  }
  std::vector<config::ConfigError> problems;
  std::optional<config::LoadedConfig> loaded;
  try {
    loaded = config::load_config_file(*a.get("config"));
    config::check_top_level_sections(loaded->root);
    logging::configure(logging::options_from_config(loaded->root));
  } catch (const config::ConfigError& e) {
    problems.push_back(e);
  }
  size_t adapter_count = 0;
  if (loaded) {
    auto catalog = plugin_host::PluginCatalog::discover(plugin_host::plugin_path_of(loaded->root));
    for (const auto& r : catalog.refusals()) {
      out << "warning: plugin " << r.file.string() << " refused: " << r.reason << "\n";
    }
    auto adapters = plugin_host::AdapterSet::build(loaded->root, catalog, plugin_host::default_host_services(),
                                                   !a.has_flag("no-create"), problems);
    adapter_count = adapters.entries().size();
  }
  if (!problems.empty()) {
    for (const auto& p : problems) err << p.what() << "\n";
    err << problems.size() << (problems.size() == 1 ? " problem" : " problems") << " found\n";
    return 1;
  }
  out << loaded->file.string() << ": OK (" << adapter_count << (adapter_count == 1 ? " adapter" : " adapters")
      << ")\n";
  return 0;
}

}  // namespace coregate::cli
