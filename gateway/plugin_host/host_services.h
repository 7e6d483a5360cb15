// What the host offers adapters beyond logging: metrics, outbound credentials and the clock.
// The engine and the credential providers (later components) implement this; tests inject fakes.
// Implementations must be thread-safe: adapters call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coregate/sdk/host.h"

namespace coregate::plugin_host {

class HostServices {
 public:
  virtual ~HostServices() = default;

  virtual void metric(std::string_view adapter, int32_t kind, std::string_view name,
                      std::string_view labels_json, double value) = 0;
  // The value to send for `provider` (e.g. "Bearer ..."), from a cache unless force_refresh.
  virtual sdk::Fetched credentials(std::string_view adapter, std::string_view provider,
                                   bool force_refresh) = 0;
  virtual int64_t unix_ms() = 0;
  virtual int64_t monotonic_ns() = 0;
};

// No metrics sink, no credential providers, the system clocks.
class DefaultHostServices : public HostServices {
 public:
  void metric(std::string_view, int32_t, std::string_view, std::string_view, double) override {}
  sdk::Fetched credentials(std::string_view adapter, std::string_view provider, bool) override;
  int64_t unix_ms() override;
  int64_t monotonic_ns() override;
};

// A process-wide default instance.
HostServices& default_host_services();

}  // namespace coregate::plugin_host
