#include "gateway/server/metrics_route.h"

#include <boost/beast/http/field.hpp>

namespace coregate::server {

void add_metrics_route(http::Router& router, const metrics::MetricsRegistry& registry,
                       std::vector<MetricsCollector> collectors) {
  router.add(http::Verb::get, "/metrics",
             [&registry, collectors = std::move(collectors)](http::IncomingRequest&& request,
                                                             http::Responder responder) {
               for (const auto& collect : collectors) collect();
               http::Response response(http::Status::ok, request.message.version());
               response.set(boost::beast::http::field::content_type,
                            "text/plain; version=0.0.4; charset=utf-8");
               response.body() = registry.render();
               response.prepare_payload();
               responder.send(std::move(response));
             });
}

}  // namespace coregate::server
