#include "gateway/server/gateway.h"

#include "gateway/http/http_server.h"
#include "gateway/http/router.h"
#include "gateway/server/health_routes.h"
#include "gateway/server/http_config.h"

namespace coregate::server {

// Declared in destruction order's reverse: the HTTP server is destroyed first... no: members are
// destroyed bottom-up, so the server (last) goes first, then what its handlers used.
struct Gateway::Parts {
  std::shared_ptr<http::Router> router;
  std::unique_ptr<http::HttpServer> http;
};

Gateway::Gateway(const config::LoadedConfig& config, const ServeOptions& options)
    : parts_(std::make_unique<Parts>()) {
  const auto& root = config.root;
  auto http_options = http_options_from_config(root, options.listen_override);
  parts_->router = std::make_shared<http::Router>();
  add_health_routes(*parts_->router, {});
  parts_->http = std::make_unique<http::HttpServer>(http_options, parts_->router);
}

Gateway::~Gateway() { stop(); }

void Gateway::start() { parts_->http->start(); }

uint16_t Gateway::bound_port() const { return parts_->http->bound_port(); }

std::string Gateway::bound_endpoint() const { return parts_->http->bound_endpoint(); }

void Gateway::stop() {
  if (parts_->http) parts_->http->stop();
}

}  // namespace coregate::server
