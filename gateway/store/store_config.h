// The "store" config section:
//   "store": {"backend": "sqlite", "path": "var/coregate.db",   // path relative to the config file
//             "max_batch": 4096, "readers": 4, "busy_timeout": "5s"}
// The pending-backlog bound comes from intake.backlog (intake_options.h).
#pragma once

#include "gateway/config/config_node.h"
#include "gateway/store/sqlite_outcome_store.h"

namespace coregate::store {

// Throws config::ConfigError naming the key (e.g. an unknown backend).
SqliteStoreOptions store_options_from_config(const config::ConfigNode& root);

}  // namespace coregate::store
