#include "gateway/server/gateway.h"

#include "gateway/config/gateway_sections.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "gateway/auth/token_authenticator.h"
#include "gateway/engine/clock.h"
#include "gateway/engine/exception_api.h"
#include "gateway/engine/plan_table.h"
#include "gateway/engine/random_source.h"
#include "gateway/engine/writeback_engine.h"
#include "gateway/http/http_server.h"
#include "gateway/http/router.h"
#include "gateway/intake/intake_options.h"
#include "gateway/intake/intake_service.h"
#include "gateway/intake/outcome_validator.h"
#include "gateway/logging/logging.h"
#include "gateway/mapping/configured_mappings.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/plugin_host/adapter_set.h"
#include "gateway/plugin_host/host_services.h"
#include "gateway/plugin_host/plugin_catalog.h"
#include "gateway/server/health_routes.h"
#include "gateway/server/host_services_wiring.h"
#include "gateway/server/http_config.h"
#include "gateway/server/metrics_route.h"
#include "gateway/server/trigger_wiring.h"
#include "gateway/store/sqlite_outcome_store.h"
#include "gateway/store/store_config.h"

namespace coregate::server {

// Periodically purges idempotency keys past their retention (published in docs/openapi.yaml).
class KeyPurger {
 public:
  KeyPurger(store::OutcomeStore& store, std::chrono::milliseconds retention,
            std::chrono::milliseconds interval)
      : thread_([this, &store, retention, interval] {
          std::unique_lock lock(mutex_);
          while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
            lock.unlock();
            try {
              const auto removed =
                  store.purge_idempotency_keys(std::chrono::system_clock::now() - retention);
              if (removed > 0)
                logging::logger()->info("purged {} idempotency key(s) past retention", removed);
            } catch (const std::exception& e) {
              logging::logger()->warn("idempotency key purge failed: {}", e.what());
            }
            lock.lock();
          }
        }) {}
  ~KeyPurger() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses exist
};

// Destroyed bottom-up. The HTTP server is declared first so it is destroyed LAST: answers the
// store still delivers while stopping post into its (stopped but alive) io_context.
struct Gateway::Parts {
  std::shared_ptr<http::Router> router;
  metrics::MetricsRegistry metrics;
  std::unique_ptr<http::HttpServer> http;
  std::unique_ptr<plugin_host::HostServices> host_services;  // outlives the adapters using it
  std::unique_ptr<plugin_host::PluginCatalog> catalog;
  std::unique_ptr<plugin_host::AdapterSet> adapters;
  std::unique_ptr<store::SqliteOutcomeStore> store;
  std::unique_ptr<auth::TokenAuthenticator> authenticator;
  std::unique_ptr<mapping::MappingRegistry> mappings;
  std::unique_ptr<intake::OutcomeValidator> validator;
  std::unique_ptr<intake::IntakeService> intake;
  engine::SystemClock clock;
  engine::SystemRandom random;
  std::unique_ptr<engine::PlanTable> plans;
  std::unique_ptr<engine::WritebackEngine> engine;
  std::unique_ptr<engine::ExceptionApi> exception_api;
  std::unique_ptr<KeyPurger> purger;
  std::unique_ptr<TriggerSubsystem> triggers;
  bool stopped = false;
};

Gateway::Gateway(const config::LoadedConfig& config, const ServeOptions& options)
    : parts_(std::make_unique<Parts>()) {
  const auto& root = config.root;
  config::check_top_level_sections(root);
  auto log = logging::logger();
  const auto http_options = http_options_from_config(root, options.listen_override);
  const auto intake_options = intake::intake_options_from_config(root);
  auto store_options = store::store_options_from_config(root);
  store_options.max_pending = intake_options.backlog;

  // Plugin host: every configured adapter must load and be created, as `coregate check` would.
  parts_->host_services = make_host_services(root, parts_->metrics);
  parts_->catalog = std::make_unique<plugin_host::PluginCatalog>(
      plugin_host::PluginCatalog::discover(plugin_host::plugin_path_of(root)));
  std::vector<config::ConfigError> problems;
  parts_->adapters = std::make_unique<plugin_host::AdapterSet>(plugin_host::AdapterSet::build(
      root, *parts_->catalog, *parts_->host_services, true, problems));
  if (!problems.empty()) {
    for (size_t i = 1; i < problems.size(); ++i) log->error("{}", problems[i].what());
    throw problems.front();
  }

  parts_->store = std::make_unique<store::SqliteOutcomeStore>(store_options);
  log->info("store {} open (WAL, synchronous=FULL)", store_options.path.string());
  parts_->authenticator =
      std::make_unique<auth::TokenAuthenticator>(auth::TokenAuthenticator::from_config(root));
  if (parts_->authenticator->token_count() == 0) {
    log->warn("no API tokens configured (auth.tokens): every /v1 request will be answered 401");
  }
  parts_->mappings = mapping::load_configured_mappings(root, intake_options.schemas);
  parts_->validator = std::make_unique<intake::OutcomeValidator>(intake_options.schemas);
  parts_->intake = std::make_unique<intake::IntakeService>(
      intake_options, *parts_->store, *parts_->validator, *parts_->authenticator);

  parts_->plans =
      std::make_unique<engine::PlanTable>(engine::PlanTable::from_config(root, *parts_->mappings));
  if (!parts_->plans->configured()) {
    log->warn("no \"plans\" section: outcomes are stored but not written back to any adapter");
  }
  auto& replays = parts_->metrics.counter(
      "coregate_idempotent_replays_total",
      "POST /v1/outcomes answered from the idempotency ledger (a retried request).");
  parts_->engine = std::make_unique<engine::WritebackEngine>(
      engine::Dependencies{*parts_->store, *parts_->adapters, *parts_->plans, *parts_->mappings,
                           parts_->metrics, parts_->clock, parts_->random,
                           [parts = parts_.get()](const engine::OutcomeResultEvent& event) {
                             if (parts->triggers) parts->triggers->publish_outcome_result(event);
                           }});
  parts_->intake->set_step_router(
      [engine = parts_->engine.get()](std::string_view type) { return engine->steps_for(type); });
  parts_->intake->set_replay_observer([&replays] { replays.labels({}).inc(); });
  parts_->exception_api =
      std::make_unique<engine::ExceptionApi>(*parts_->store, *parts_->engine, *parts_->validator,
                                             *parts_->authenticator, intake_options.max_page_size);

  parts_->router = std::make_shared<http::Router>();
  auto* store = parts_->store.get();
  auto* adapters = parts_->adapters.get();
  add_health_routes(
      *parts_->router,
      {{"store", [store] { return store->health(); }},
       {"adapters",
        [adapters,
         expected = root.child_if("adapters") ? root.child("adapters").members().size() : 0] {
          return adapters->entries().size() == expected
                     ? std::string()
                     : std::string("not every adapter was created");
        }},
       {"triggers", [parts = parts_.get()] {
          return parts->triggers ? parts->triggers->health() : std::string("not started");
        }}});
  parts_->intake->add_routes(*parts_->router);
  parts_->exception_api->add_routes(*parts_->router);
  engine::add_adapter_routes(*parts_->router, *parts_->engine, *parts_->authenticator);
  parts_->triggers = make_trigger_subsystem(TriggerWiringContext{
      root, *parts_->adapters, *parts_->mappings, *parts_->authenticator, *parts_->router,
      parts_->metrics, store_options.path, intake_options.schemas});
  add_metrics_route(*parts_->router, parts_->metrics,
                    {[engine = parts_->engine.get()] { engine->collect_metrics(); }});
  parts_->http = std::make_unique<http::HttpServer>(http_options, parts_->router);
  parts_->purger = std::make_unique<KeyPurger>(*parts_->store, intake_options.key_retention,
                                               intake_options.purge_interval);
}

Gateway::~Gateway() {
  stop();
}

void Gateway::start() {
  // Unfinished work from the last run first, then new acceptances (none arrive before the HTTP
  // server starts).
  parts_->engine->start();
  parts_->store->set_accepted_listener(
      [engine = parts_->engine.get()](int64_t seq, store::NewOutcome&& outcome) {
        engine->on_accepted(seq, std::move(outcome));
      });
  parts_->http->start();
  parts_->triggers->start();
}

uint16_t Gateway::bound_port() const {
  return parts_->http->bound_port();
}

std::string Gateway::bound_endpoint() const {
  return parts_->http->bound_endpoint();
}

void Gateway::stop() {
  if (parts_->stopped) return;
  parts_->stopped = true;
  if (parts_->http) parts_->http->stop();  // no new requests; in-flight ones finish (and commit)
  if (parts_->triggers) parts_->triggers->stop();
  if (parts_->engine) parts_->engine->stop();  // running attempts finish and commit
  if (parts_->purger) parts_->purger->stop();
  if (parts_->store) parts_->store->stop();  // commits what is still queued, closes the file
}

}  // namespace coregate::server
