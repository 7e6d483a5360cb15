#include "gateway/http/listen_address.h"

#include <charconv>
#include <stdexcept>

namespace coregate::http {

ListenAddress parse_listen_address(std::string_view text) {
  const std::string shown(text);
  ListenAddress result;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      throw std::invalid_argument("'" + shown + "': IPv6 address is missing its closing ']'");
    }
    result.host = std::string(text.substr(1, close - 1));
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      throw std::invalid_argument("'" + shown + "': missing ':PORT' after the address");
    }
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      throw std::invalid_argument("'" + shown + "': expected ADDR:PORT");
    }
    if (text.find(':') != colon) {
      throw std::invalid_argument("'" + shown +
                                  "': write IPv6 addresses in brackets, e.g. [::1]:8080");
    }
    result.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (result.host.empty()) throw std::invalid_argument("'" + shown + "': missing address");
  unsigned value = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      value > 65535) {
    throw std::invalid_argument("'" + shown + "': port must be a number from 0 to 65535");
  }
  result.port = static_cast<uint16_t>(value);
  return result;
}

}  // namespace coregate::http
