// GET /metrics: the registry in the Prometheus text format (version 0.0.4). Collectors run first so
// gauges that are sampled rather than tracked (queue depth, oldest pending age) are fresh.
// Unauthenticated like /healthz: scrape it on an internal listener.
#pragma once

#include <functional>
#include <vector>

#include "gateway/http/router.h"
#include "gateway/metrics/metrics_registry.h"

namespace coregate::server {

// Each collector must be cheap and thread-safe; it runs on an I/O thread per scrape.
using MetricsCollector = std::function<void()>;

// `registry` must outlive the router.
void add_metrics_route(http::Router& router, const metrics::MetricsRegistry& registry,
                       std::vector<MetricsCollector> collectors);

}  // namespace coregate::server
