#include "gateway/server/host_services_wiring.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "gateway/credentials/credential_registry.h"

namespace coregate::server {
namespace {

// Adapter metrics land in the gateway's registry as coregate_adapter_<name>{adapter=..., ...}.
// A family's label names are fixed by its first use; a later call with other label names (a plugin
// bug) is dropped rather than allowed to throw into the plugin.
void forward_metric(metrics::MetricsRegistry& registry, std::string_view adapter, int32_t kind,
                    std::string_view name, std::string_view labels_json, double value) {
  try {
    std::vector<std::pair<std::string, std::string>> labels;
    if (!labels_json.empty()) {
      boost::system::error_code ec;
      auto parsed = boost::json::parse(labels_json, ec);
      if (ec || !parsed.is_object()) return;
      for (const auto& [k, v] : parsed.as_object()) {
        if (!v.is_string()) return;
        labels.emplace_back(std::string(k), std::string(v.as_string()));
      }
      std::sort(labels.begin(), labels.end());
    }
    std::vector<std::string> names{"adapter"};
    metrics::LabelValues values{std::string(adapter)};
    for (auto& [k, v] : labels) {
      names.push_back(k);
      values.push_back(v);
    }
    std::string full = "coregate_adapter_" + std::string(name);
    std::string help = "Adapter metric reported by the plugin";
    switch (kind) {
      case CG_METRIC_COUNTER:
        registry.counter(full, help, names).labels(values).inc(value);
        break;
      case CG_METRIC_GAUGE:
        registry.gauge(full, help, names).labels(values).set(value);
        break;
      case CG_METRIC_HISTOGRAM:
        registry.histogram(full, help, names).labels(values).observe(value);
        break;
      default:
        break;
    }
  } catch (const std::exception&) {
    // Conflicting label names or type for an existing family: drop this observation.
  }
}

class GatewayHostServices : public plugin_host::DefaultHostServices {
 public:
  GatewayHostServices(credentials::CredentialRegistry registry, metrics::MetricsRegistry& metrics)
      : registry_(std::move(registry)), metrics_(metrics) {}

  void metric(std::string_view adapter, int32_t kind, std::string_view name,
              std::string_view labels_json, double value) override {
    forward_metric(metrics_, adapter, kind, name, labels_json, value);
  }
  sdk::Fetched credentials(std::string_view adapter, std::string_view provider,
                           bool force_refresh) override {
    sdk::Fetched f = registry_.get(provider, force_refresh);
    if (!f.ok) f.error = "adapter '" + std::string(adapter) + "': " + f.error;
    return f;
  }

 private:
  credentials::CredentialRegistry registry_;
  metrics::MetricsRegistry& metrics_;
};

}  // namespace

std::unique_ptr<plugin_host::HostServices> make_host_services(const config::ConfigNode& root,
                                                              metrics::MetricsRegistry& metrics) {
  return std::make_unique<GatewayHostServices>(credentials::CredentialRegistry::from_config(root),
                                               metrics);
}

}  // namespace coregate::server
