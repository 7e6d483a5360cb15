#include "gateway/server/http_config.h"

#include <stdexcept>

#include "gateway/http/listen_address.h"

namespace coregate::server {

http::HttpServerOptions http_options_from_config(
    const config::ConfigNode& root, const std::optional<std::string>& listen_override) {
  http::HttpServerOptions options;
  if (listen_override) {
    try {
      options.listen = http::parse_listen_address(*listen_override);
    } catch (const std::invalid_argument& e) {
      throw config::ConfigError("command line", "--listen", e.what());
    }
  } else {
    const std::string listen = root.string_or("listen", "127.0.0.1:8080");
    try {
      options.listen = http::parse_listen_address(listen);
    } catch (const std::invalid_argument& e) {
      root.fail("listen", e.what());
    }
  }
  if (auto section = root.child_if("http")) {
    section->allow_only(
        {"threads", "header_limit", "body_limit", "idle_timeout", "read_timeout", "drain_timeout"});
    options.threads = static_cast<unsigned>(section->integer_or("threads", 0, 0, 256));
    const uint64_t header_limit = section->size_or("header_limit", options.header_limit);
    if (header_limit < 1024 || header_limit > 1024 * 1024) {
      section->fail("header_limit", "must be between 1KiB and 1MiB");
    }
    options.header_limit = static_cast<uint32_t>(header_limit);
    options.body_limit = section->size_or("body_limit", options.body_limit);
    if (options.body_limit < 1024 || options.body_limit > 64ull * 1024 * 1024) {
      section->fail("body_limit", "must be between 1KiB and 64MiB");
    }
    options.idle_timeout = section->duration_or("idle_timeout", options.idle_timeout);
    options.read_timeout = section->duration_or("read_timeout", options.read_timeout);
    options.drain_timeout = section->duration_or("drain_timeout", options.drain_timeout);
    for (auto [key, value] : {std::pair{"idle_timeout", options.idle_timeout},
                              std::pair{"read_timeout", options.read_timeout},
                              std::pair{"drain_timeout", options.drain_timeout}}) {
      if (value.count() <= 0) section->fail(key, "must be positive");
    }
  }
  return options;
}

}  // namespace coregate::server
