// The gateway application that `coregate serve` runs: builds every component from the loaded
// config (logging -> plugin host -> store -> auth -> HTTP routes), serves until SIGTERM/SIGINT,
// then shuts down in order: stop accepting, finish in-flight requests, flush the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "gateway/config/config_loader.h"

namespace coregate::server {

struct ServeOptions {
  // `serve --listen ADDR:PORT`; overrides the config's top-level "listen". "[::1]:0" and port 0
  // are allowed: the kernel picks the port, which is logged and written to port_file.
  std::optional<std::string> listen_override;
  // When set, the bound port is written there (decimal, newline, written atomically via rename)
  // once the listener is up, so tests and scripts can find a port-0 server.
  std::optional<std::filesystem::path> port_file;
  // `serve --log-format json|text|auto`; overrides the config's log.format.
  std::optional<std::string> log_format;
};

// Runs the gateway until SIGTERM or SIGINT and returns the process exit code: 0 after a clean
// shutdown, 1 when start-up fails (the reason is logged; config errors name file and key).
// Blocks the calling thread. Not re-entrant: one gateway per process.
int run_gateway(const coregate::config::LoadedConfig& config, const ServeOptions& options);

}  // namespace coregate::server
