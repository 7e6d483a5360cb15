// "ADDR:PORT" as written in config and on the command line: "127.0.0.1:8080", "0.0.0.0:0",
// "[::1]:0", "localhost:8080". Port 0 asks the kernel for a free port.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace coregate::http {

struct ListenAddress {
  std::string host;  // without IPv6 brackets
  uint16_t port = 0;
};

// Throws std::invalid_argument with a message naming what is wrong ("missing port", ...).
ListenAddress parse_listen_address(std::string_view text);

}  // namespace coregate::http
