#include "gateway/server/host_services_wiring.h"

namespace coregate::server {

std::unique_ptr<plugin_host::HostServices> make_host_services(const config::ConfigNode&,
                                                              metrics::MetricsRegistry&) {
  return std::make_unique<plugin_host::DefaultHostServices>();
}

}  // namespace coregate::server
