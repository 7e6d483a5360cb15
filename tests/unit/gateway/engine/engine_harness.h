// An in-process engine over the real pieces: the testing plugin loaded through the ABI, a real
// SQLite store in a temp folder, real plans and mappings. Outcomes are submitted to the store the
// way intake does, so the engine learns of them through the store's accepted listener.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "gateway/config/config_loader.h"
#include "gateway/engine/clock.h"
#include "gateway/engine/plan_table.h"
#include "gateway/engine/random_source.h"
#include "gateway/engine/writeback_engine.h"
#include "gateway/mapping/mapping_registry.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/plugin_host/adapter_set.h"
#include "gateway/plugin_host/host_services.h"
#include "gateway/plugin_host/plugin_catalog.h"
#include "gateway/store/sqlite_outcome_store.h"

namespace coregate::engine::testing {

inline std::filesystem::path plugins_dir() {
  return std::filesystem::path(COREGATE_BINARY_DIR) / "plugins";
}

inline std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("coregate-engine-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

class Harness {
 public:
  // `config_json`: a gateway config with "adapters" and "plans".
  Harness(const std::string& config_json, const std::filesystem::path& dir,
          const mapping::MappingRegistry* mappings = nullptr, const Clock* clock = nullptr,
          RandomSource* random = nullptr)
      : root_(config::config_from_json_text(config_json, "gw.json")),
        catalog_(plugin_host::PluginCatalog::discover({plugins_dir()})),
        mappings_(mappings ? mappings : &no_mappings_),
        plans_(PlanTable::from_config(root_, *mappings_)),
        clock_(clock ? clock : &system_clock_),
        random_(random ? random : &system_random_) {
    std::vector<config::ConfigError> problems;
    adapters_ = std::make_unique<plugin_host::AdapterSet>(plugin_host::AdapterSet::build(
        root_, catalog_, plugin_host::default_host_services(), true, problems));
    for (const auto& p : problems) ADD_FAILURE() << p.what();
    store::SqliteStoreOptions options;
    options.path = dir / "coregate.db";
    options.max_pending = 1 << 20;
    store_ = std::make_unique<store::SqliteOutcomeStore>(options);
    engine_ = std::make_unique<WritebackEngine>(
        Dependencies{*store_, *adapters_, plans_, *mappings_, metrics_, *clock_, *random_,
                     [this](const OutcomeResultEvent& e) {
                       std::lock_guard lock(events_mutex_);
                       events_.push_back(e);
                     }});
    engine_->start();
    store_->set_accepted_listener(
        [this](int64_t seq, store::NewOutcome&& o) { engine_->on_accepted(seq, std::move(o)); });
  }

  ~Harness() {
    engine_->stop();
    store_->stop();
  }

  // Submits an outcome and waits for its commit; returns its id.
  std::string post(const std::string& subject, const std::string& type = "account.note_added",
                   const std::string& body = "") {
    const int n = ++posted_;
    store::NewOutcome o;
    o.id = "out-" + std::to_string(n) + "-" + subject;
    o.principal = "test";
    o.idempotency_key = o.id;
    o.type = type;
    o.subject = subject;
    o.body_json = body.empty() ? boost::json::serialize(boost::json::object{
                                     {"type", type}, {"subject", subject}, {"data", {{"n", n}}}})
                               : body;
    o.response_body = "{}";
    auto steps = engine_->steps_for(type);
    if (!steps) {
      ADD_FAILURE() << "no plan for " << type;
      return "";
    }
    o.steps = *steps;
    const std::string id = o.id;
    auto done = std::make_shared<std::promise<store::AcceptStatus>>();
    auto future = done->get_future();
    EXPECT_TRUE(store_->submit(std::move(o),
                               [done](store::AcceptResult&& r) { done->set_value(r.status); }));
    EXPECT_EQ(future.get(), store::AcceptStatus::kAccepted);
    return id;
  }

  // Submits without waiting (for volume); the caller waits with engine().wait_idle().
  void post_async(const std::string& id, const std::string& subject,
                  const std::string& type = "account.note_added") {
    store::NewOutcome o;
    o.id = id;
    o.principal = "test";
    o.idempotency_key = id;
    o.type = type;
    o.subject = subject;
    o.body_json = boost::json::serialize(
        boost::json::object{{"type", type}, {"subject", subject}, {"data", {{"id", id}}}});
    o.response_body = "{}";
    o.steps = *engine_->steps_for(type);
    ++submitted_;
    while (!store_->submit(std::move(o), [this](store::AcceptResult&&) { ++committed_; })) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  // The testing adapter's inbound control: {"control": {...}}, {"records": ...}, {"stats": true}.
  boost::json::value inbound(const std::string& adapter, const std::string& body) {
    const auto* instance = adapters_->find(adapter);
    if (instance == nullptr) {
      ADD_FAILURE() << "no adapter " << adapter;
      return nullptr;
    }
    plugin_host::InboundCall call;
    call.method = "POST";
    call.target = "/";
    call.headers_json = "{}";
    call.body = body;
    auto reply = instance->inbound(call);
    EXPECT_TRUE(reply.ok) << reply.error;
    return boost::json::parse(reply.reply_body);
  }

  // Every record the adapter applied, in apply order.
  boost::json::array records(const std::string& adapter = "core") {
    return inbound(adapter, R"({"records": true})").at("records").as_array();
  }

  store::OutcomeRecord outcome(const std::string& id) {
    auto found = store_->find(id);
    EXPECT_TRUE(found) << id;
    return found ? *found : store::OutcomeRecord{};
  }

  // Waits for every post_async to commit, then for the engine to finish everything.
  bool drained(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (committed_ < submitted_) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return engine_->wait_idle(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
  }

  WritebackEngine& engine() { return *engine_; }
  store::SqliteOutcomeStore& store() { return *store_; }
  metrics::MetricsRegistry& metrics() { return metrics_; }
  std::vector<OutcomeResultEvent> events() {
    std::lock_guard lock(events_mutex_);
    return events_;
  }

 private:
  config::ConfigNode root_;
  plugin_host::PluginCatalog catalog_;
  mapping::MappingRegistry no_mappings_;
  const mapping::MappingRegistry* mappings_;
  PlanTable plans_;
  SystemClock system_clock_;
  SystemRandom system_random_;
  const Clock* clock_;
  RandomSource* random_;
  metrics::MetricsRegistry metrics_;
  std::unique_ptr<plugin_host::AdapterSet> adapters_;
  std::unique_ptr<store::SqliteOutcomeStore> store_;
  std::unique_ptr<WritebackEngine> engine_;
  std::atomic<int> posted_{0};
  std::atomic<int> submitted_{0};
  std::atomic<int> committed_{0};
  std::mutex events_mutex_;
  std::vector<OutcomeResultEvent> events_;
};

}  // namespace coregate::engine::testing
