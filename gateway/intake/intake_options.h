// The "intake" config section:
//   "intake": {
//     "schemas": "../../schemas",  // folder holding outcomes/<type>.json (relative to the config
//                                  // file); default: schemas/ beside the config, else the
//                                  // repository's schemas/ beside build/bin/coregate
//     "backlog": 8192,             // outcomes waiting for a group commit; past it 503 +
//     Retry-After "retry_after": "1s",         // the Retry-After sent with that 503 (whole
//     seconds, at least 1) "key_retention": "7d",       // idempotency keys are kept this long,
//     then purged "purge_interval": "10m",     // how often the purge runs "max_depth": 32, // JSON
//     nesting limit of a body "max_page_size": 200         // GET /v1/outcomes?limit= at most
//   }
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>

#include "gateway/config/config_node.h"

namespace coregate::intake {

struct IntakeOptions {
  std::filesystem::path schemas;
  size_t backlog = 8192;
  std::chrono::seconds retry_after{1};
  std::chrono::milliseconds key_retention{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds purge_interval{std::chrono::minutes(10)};
  size_t max_depth = 32;
  int max_page_size = 200;
};

// Throws config::ConfigError naming the key.
IntakeOptions intake_options_from_config(const config::ConfigNode& root);

}  // namespace coregate::intake
