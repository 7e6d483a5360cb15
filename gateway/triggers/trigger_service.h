// The trigger side assembled (DESIGN §4 "Triggers", §6): the trigger store, a Poller per poll
// source, inbound sources, pull delivery, the SSE hub, a WebhookDispatcher per subscription and
// the outcome-result publisher, plus their HTTP routes:
//
//   POST /v1/inbound/{adapter}                    admin, or a token narrowed to that adapter
//   GET  /v1/consumers/{group}/triggers?limit=N   triggers:read
//   POST /v1/consumers/{group}/ack                triggers:read
//   GET  /v1/triggers/stream                      triggers:read (Last-Event-ID, ?after=, ?types=)
//   GET  /v1/triggers/dead-letters                admin
//   POST /v1/triggers/dead-letters/{id}/replay    admin
//   GET  /v1/triggers/exceptions                  admin
//
// Handlers that touch the store run on a small pool of their own, never on the HTTP I/O threads.
// Lifetime: everything passed in outlives the service. Construction throws config::ConfigError
// (a bad "triggers" section: unknown adapter, mapping or type) or store::StoreError.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "gateway/auth/token_authenticator.h"
#include "gateway/config/config_node.h"
#include "gateway/engine/outcome_result_event.h"
#include "gateway/http/router.h"
#include "gateway/mapping/mapping_registry.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/plugin_host/adapter_set.h"

namespace coregate::triggers {

struct TriggerServiceContext {
  const config::ConfigNode& root;
  const plugin_host::AdapterSet& adapters;
  const mapping::MappingRegistry& mappings;
  const auth::TokenAuthenticator& authenticator;
  http::Router& router;
  metrics::MetricsRegistry& metrics;
  std::filesystem::path outcome_store_path;
  std::filesystem::path schemas;
};

class TriggerService {
 public:
  explicit TriggerService(const TriggerServiceContext& context);
  ~TriggerService();  // stop()
  TriggerService(const TriggerService&) = delete;
  TriggerService& operator=(const TriggerService&) = delete;

  void start();
  void stop();  // idempotent
  std::string health() const;
  void publish_outcome_result(const engine::OutcomeResultEvent& event);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::triggers
