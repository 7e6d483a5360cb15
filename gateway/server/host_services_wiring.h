// The seam that builds what the host offers adapters (plugin_host/host_services.h) from the
// gateway config: outbound credential providers ("credentials" section), plugin metrics into the
// gateway's registry, the clocks.
#pragma once

#include <memory>

#include "gateway/config/config_node.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/plugin_host/host_services.h"

namespace coregate::server {

// Throws config::ConfigError (file + key) for a bad "credentials" section. `metrics` outlives the
// result. Never returns nullptr.
std::unique_ptr<plugin_host::HostServices> make_host_services(const config::ConfigNode& root,
                                                              metrics::MetricsRegistry& metrics);

}  // namespace coregate::server
