// One configured adapter: a plugin's cg_type_adapter plus the host table it was given, behind
// C++ calls that return SDK result types.
//
// Lifetime: holds its PluginLibrary, so the library stays loaded until the instance is destroyed;
// the destructor calls cg_on_destroy. Not copyable or movable (the plugin keeps pointers to the
// host table). Thread-safety: write, probe, health and inbound may be called concurrently (the
// plugin contract of plugin_abi.h); poll must not be called concurrently with itself.
// Errors: hooks never throw into the host; a hook that returns an error, or a raw plugin that lets
// a C++ exception escape, becomes a classified result whose diagnostic names the hook.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "coregate/sdk/results.h"
#include "gateway/plugin_host/host_table.h"
#include "gateway/plugin_host/plugin_library.h"

namespace coregate::plugin_host {

struct WriteCall {
  std::string_view idempotency_key;
  std::string_view outcome_id;
  std::string_view outcome_type;
  std::string_view subject;
  std::string_view record_json;  // a JSON object
  uint32_t attempt = 1;
  int64_t deadline_unix_ms = 0;
};

struct ProbeCall {
  std::string_view idempotency_key;
  std::string_view outcome_id;
  std::string_view outcome_type;
  std::string_view subject;
  std::string_view record_json;
  int64_t deadline_unix_ms = 0;
};

struct PollCall {
  std::string_view source;
  std::string_view cursor;
  uint32_t max_records = 100;
  int64_t deadline_unix_ms = 0;
};

struct [[nodiscard]] PollOutcome {
  bool ok = false;
  std::string records_json;  // a JSON array
  std::string next_cursor;
  std::string error;
};

struct InboundCall {
  std::string_view method;
  std::string_view target;
  std::string_view headers_json;
  std::string_view body;
};

struct [[nodiscard]] InboundOutcome {
  bool ok = false;
  int status = 0;
  std::string records_json;
  std::string reply_headers_json;
  std::string reply_body;
  std::string error;
};

class AdapterInstance;

struct [[nodiscard]] CreateResult {
  std::unique_ptr<AdapterInstance> adapter;
  std::string error;  // why create failed (the plugin's message), when adapter is null
};

class AdapterInstance {
 public:
  // Calls the plugin's create hook with `config_json` (already validated). Never throws.
  static CreateResult create(std::shared_ptr<const PluginLibrary> library,
                             std::string instance_name, std::string_view config_json,
                             HostServices& services);
  ~AdapterInstance();
  AdapterInstance(const AdapterInstance&) = delete;
  AdapterInstance& operator=(const AdapterInstance&) = delete;

  const std::string& name() const { return host_->instance(); }
  const PluginLibrary& plugin() const { return *library_; }
  bool can(uint64_t capability) const { return library_->can(capability); }

  sdk::WriteResult write(const WriteCall& call) const;
  sdk::ProbeResult probe(const ProbeCall& call) const;
  PollOutcome poll(const PollCall& call) const;
  InboundOutcome inbound(const InboundCall& call) const;
  sdk::HealthResult health(int64_t deadline_unix_ms) const;

 private:
  AdapterInstance(std::shared_ptr<const PluginLibrary> library, std::unique_ptr<HostTable> host);

  std::shared_ptr<const PluginLibrary>
      library_;  // destroyed after the adapter (see ~AdapterInstance)
  std::unique_ptr<HostTable> host_;
  cg_type_adapter* adapter_ = nullptr;
};

}  // namespace coregate::plugin_host
