// `coregate check --config FILE`: everything `serve` would do before listening — read the config,
// load plugins, validate and create every adapter, compile mappings — and report every problem
// with file and key, so a typo fails here and not in a writeback at 2 a.m.
// Exit 0 when the config is good, 1 when it has problems, 2 for bad usage.
#include "gateway/auth/token_authenticator.h"
#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/config/config_loader.h"
#include "gateway/config/gateway_sections.h"
#include "gateway/credentials/credential_registry.h"
#include "gateway/engine/adapter_policy.h"
#include "gateway/engine/plan_table.h"
#include "gateway/intake/intake_options.h"
#include "gateway/intake/outcome_validator.h"
#include "gateway/logging/logging.h"
#include "gateway/mapping/configured_mappings.h"
#include "gateway/plugin_host/adapter_set.h"
#include "gateway/plugin_host/host_services.h"
#include "gateway/schema/schema_registry.h"
#include "gateway/server/http_config.h"
#include "gateway/store/store_config.h"
#include "gateway/triggers/source_rules.h"

namespace coregate::cli {
namespace {

// Runs `f`, turning any start-up error into a problem attributed to `section` of the config.
template <typename F>
void collect(const config::ConfigNode& root, std::string_view section,
             std::vector<config::ConfigError>& problems, F&& f) {
  try {
    f();
  } catch (const config::ConfigError& e) {
    problems.push_back(e);
  } catch (const std::exception& e) {
    problems.emplace_back(root.file(), std::string(section), e.what());
  }
}

// Every section `serve` parses, with the same parsers, plus the configured mapping folders
// ("mappings": a folder or list of folders of mapping files), compiled and type-checked against
// the canonical schemas. Returns the number of mappings compiled.
size_t check_sections(const config::ConfigNode& root, std::vector<config::ConfigError>& problems) {
  collect(root, "http", problems,
          [&] { (void)server::http_options_from_config(root, std::nullopt); });
  collect(root, "store", problems, [&] { (void)store::store_options_from_config(root); });
  collect(root, "auth", problems, [&] { (void)auth::TokenAuthenticator::from_config(root); });
  collect(root, "credentials", problems,
          [&] { (void)credentials::CredentialRegistry::from_config(root); });
  std::optional<intake::IntakeOptions> intake;
  collect(root, "intake", problems, [&] { intake = intake::intake_options_from_config(root); });
  if (!intake) return 0;
  collect(root, "intake.schemas", problems,
          [&] { intake::OutcomeValidator validator(intake->schemas); });
  size_t count = 0;
  std::unique_ptr<mapping::MappingRegistry> mappings;
  collect(root, "mappings", problems, [&] {
    mappings = mapping::load_configured_mappings(root, intake->schemas);
    count = mappings->names().size();
  });
  if (auto adapters = root.child_if("adapters")) {
    for (const auto& member : adapters->members()) {
      const config::ConfigNode& block = member.second;  // (clang 14 cannot capture a binding)
      collect(root, "adapters." + member.first, problems,
              [&] { (void)engine::AdapterPolicy::from_config(block); });
    }
  }
  if (mappings) {
    collect(root, "plans", problems,
            [&] { (void)engine::PlanTable::from_config(root, *mappings); });
    collect(root, "triggers", problems, [&] {
      const auto adapters = root.child_if("adapters");
      triggers::check_triggers_config(
          root, store::store_options_from_config(root).path,
          [&](std::string_view name) { return adapters && adapters->has(name); }, *mappings,
          intake->schemas);
    });
  }
  return count;
}

}  // namespace

int run_check_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a(
      "check",
      "Validate a gateway config: load plugins, check and create adapters, report every problem.");
  a.option("config", "FILE", "the gateway config (.json, .xml or .info)", true)
      .flag("no-create",
            "check adapter blocks against their schemas without creating the adapters");
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
  size_t mapping_count = 0;
  if (loaded) {
    auto catalog = plugin_host::PluginCatalog::discover(plugin_host::plugin_path_of(loaded->root));
    for (const auto& r : catalog.refusals()) {
      out << "warning: plugin " << r.file.string() << " refused: " << r.reason << "\n";
    }
    auto adapters =
        plugin_host::AdapterSet::build(loaded->root, catalog, plugin_host::default_host_services(),
                                       !a.has_flag("no-create"), problems);
    adapter_count = adapters.entries().size();
    mapping_count = check_sections(loaded->root, problems);
  }
  if (!problems.empty()) {
    for (const auto& p : problems) err << p.what() << "\n";
    err << problems.size() << (problems.size() == 1 ? " problem" : " problems") << " found\n";
    return 1;
  }
  out << loaded->file.string() << ": OK (" << adapter_count
      << (adapter_count == 1 ? " adapter" : " adapters") << ", " << mapping_count
      << (mapping_count == 1 ? " mapping" : " mappings") << ")\n";
  return 0;
}

}  // namespace coregate::cli
