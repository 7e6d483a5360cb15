// Reads the top-level "listen" string and the "http" section into HttpServerOptions.
//   "listen": "127.0.0.1:8080"            (default; "[::1]:0" and port 0 allowed)
//   "http": {"threads": 0, "header_limit": "16KiB", "body_limit": "1MiB",
//            "idle_timeout": "60s", "read_timeout": "30s", "drain_timeout": "10s"}
#pragma once

#include <optional>
#include <string>

#include "gateway/config/config_node.h"
#include "gateway/http/http_server.h"

namespace coregate::server {

// Throws config::ConfigError naming the key. `listen_override` (from `serve --listen`) wins over
// the config's "listen"; a bad override is reported against the key "--listen".
http::HttpServerOptions http_options_from_config(const config::ConfigNode& root,
                                                 const std::optional<std::string>& listen_override);

}  // namespace coregate::server
