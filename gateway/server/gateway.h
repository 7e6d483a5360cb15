// The assembled gateway: every component built from the loaded config, wired to HTTP routes.
// run_gateway() drives one of these; tests may build one directly (port 0) and call stop().
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "gateway/config/config_loader.h"
#include "gateway/server/gateway_app.h"

namespace coregate::server {

class Gateway {
 public:
  // Builds every component in order (logging is configured by the caller): plugin host -> store
  // (opens/migrates the database) -> auth -> intake -> routes. Throws config::ConfigError for a bad
  // config (file + key) and std::runtime_error for an environment problem (unwritable store).
  Gateway(const config::LoadedConfig& config, const ServeOptions& options);
  ~Gateway();  // stop()

  // Binds and starts serving. Throws std::runtime_error when the address cannot be bound.
  void start();
  uint16_t bound_port() const;
  std::string bound_endpoint() const;

  // Graceful and idempotent: stop accepting, finish in-flight requests (their group commit
  // included), then flush and close the store.
  void stop();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace coregate::server
