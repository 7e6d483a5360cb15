#include "gateway/store/store_config.h"

namespace coregate::store {

SqliteStoreOptions store_options_from_config(const config::ConfigNode& root) {
  SqliteStoreOptions options;
  options.path = root.resolve_path("var/coregate.db");
  auto section = root.child_if("store");
  if (!section) return options;
  section->allow_only({"backend", "path", "max_batch", "readers", "busy_timeout"});
  const std::string backend = section->string_or("backend", "sqlite");
  if (backend != "sqlite") {
    section->fail("backend", "unknown store backend '" + backend + "' (this build has: sqlite)");
  }
  options.path = section->file_path_or("path", "var/coregate.db");
  options.max_batch = static_cast<size_t>(section->integer_or("max_batch", 4096, 1, 1'000'000));
  options.readers = static_cast<unsigned>(section->integer_or("readers", 4, 1, 64));
  options.busy_timeout = section->duration_or("busy_timeout", options.busy_timeout);
  return options;
}

}  // namespace coregate::store
