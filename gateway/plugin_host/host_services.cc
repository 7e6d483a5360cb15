#include "gateway/plugin_host/host_services.h"

#include <chrono>

namespace coregate::plugin_host {

sdk::Fetched DefaultHostServices::credentials(std::string_view adapter, std::string_view provider,
                                              bool) {
  return {false,
          {},
          "adapter '" + std::string(adapter) + "' asked for credentials from provider '" +
              std::string(provider) + "', but no such provider is configured under 'credentials'"};
}

int64_t DefaultHostServices::unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t DefaultHostServices::monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

HostServices& default_host_services() {
  static DefaultHostServices services;
  return services;
}

}  // namespace coregate::plugin_host
