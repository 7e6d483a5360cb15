// The seam between the assembled gateway and the trigger side (DESIGN §4 "Triggers"): sources
// (poll, inbound), the trigger log, and delivery (pull, SSE, webhooks). Gateway builds it through
// make_trigger_subsystem() so the server stays ignorant of the trigger internals.
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

namespace coregate::server {

// Everything the trigger side may use. All references outlive the subsystem.
struct TriggerWiringContext {
  const config::ConfigNode& root;  // the whole gateway config ("triggers" section is theirs)
  const plugin_host::AdapterSet& adapters;
  const mapping::MappingRegistry& mappings;  // every configured mapping, compiled
  const auth::TokenAuthenticator& authenticator;
  http::Router& router;  // add routes during construction only
  metrics::MetricsRegistry& metrics;
  std::filesystem::path store_path;  // the outcome store's file; trigger data may sit beside it
  std::filesystem::path schemas;     // the canonical schema folder (schemas/triggers/ inside)
};

class TriggerSubsystem {
 public:
  virtual ~TriggerSubsystem() = default;
  // Starts pollers and delivery workers (after the HTTP server is listening).
  virtual void start() = 0;
  // Stops pollers and delivery, commits what is pending. Idempotent.
  virtual void stop() = 0;
  // "" when ready, else why not (for /readyz). Cheap, thread-safe.
  virtual std::string health() const = 0;
  // Called by the engine after an outcome's final state is committed. Thread-safe, quick (queue
  // it, do not deliver inline).
  virtual void publish_outcome_result(const engine::OutcomeResultEvent& event) = 0;
};

// Reads the config, opens the trigger store, adds the trigger routes to ctx.router. Throws
// config::ConfigError for a bad "triggers" section and std::runtime_error for an environment
// problem. Never returns nullptr.
std::unique_ptr<TriggerSubsystem> make_trigger_subsystem(const TriggerWiringContext& ctx);

}  // namespace coregate::server
