#include "gateway/intake/intake_options.h"

namespace coregate::intake {

namespace {

// Without "intake.schemas": a schemas/ folder beside the config file, else the repository's
// schemas/ beside build/bin/coregate (the binary's ../../schemas), so in-tree configs need no path.
std::filesystem::path default_schemas(const config::ConfigNode& root) {
  const auto beside_config = root.resolve_path("schemas");
  if (std::filesystem::is_directory(beside_config / "outcomes")) return beside_config;
  std::error_code ec;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto in_tree = binary.parent_path().parent_path().parent_path() / "schemas";
    if (std::filesystem::is_directory(in_tree / "outcomes")) return in_tree;
  }
  return beside_config;  // the validator reports it missing, naming this path
}

}  // namespace

IntakeOptions intake_options_from_config(const config::ConfigNode& root) {
  IntakeOptions options;
  options.schemas = default_schemas(root);
  auto section = root.child_if("intake");
  if (!section) return options;
  section->allow_only({"schemas", "backlog", "retry_after", "key_retention", "purge_interval",
                       "max_depth", "max_page_size"});
  if (section->has("schemas")) options.schemas = section->file_path("schemas");
  options.backlog = static_cast<size_t>(section->integer_or("backlog", 8192, 1, 10'000'000));
  const auto retry_after = section->duration_or("retry_after", std::chrono::seconds(1));
  if (retry_after < std::chrono::seconds(1)) section->fail("retry_after", "must be at least 1s");
  options.retry_after = std::chrono::duration_cast<std::chrono::seconds>(retry_after);
  options.key_retention = section->duration_or("key_retention", options.key_retention);
  if (options.key_retention < std::chrono::minutes(1))
    section->fail("key_retention", "must be at least 1m");
  options.purge_interval = section->duration_or("purge_interval", options.purge_interval);
  if (options.purge_interval < std::chrono::seconds(1))
    section->fail("purge_interval", "must be at least 1s");
  options.max_depth = static_cast<size_t>(section->integer_or("max_depth", 32, 2, 256));
  options.max_page_size = static_cast<int>(section->integer_or("max_page_size", 200, 1, 10'000));
  return options;
}

}  // namespace coregate::intake
