// Turns an Adapter subclass into a plugin: COREGATE_PLUGIN emits the C entry point
// coregate_plugin_init and the hook table of <coregate/plugin_abi.h>. Use it once per plugin, in
// one .cc file:
//
//   COREGATE_PLUGIN(TestingAdapter, "testing", "0.1.0",
//                   CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_HEALTH, kTestingConfigSchema)
//
// The class must be constructible as Class(const coregate::sdk::AdapterConfig&,
// coregate::sdk::Host). name, version and schema must be string literals or other storage that
// lives as long as the library.
//
// Every hook runs inside a catch-all barrier: an exception becomes CG_STATUS_ERROR with
// "<hook>: <what()>" in the error or diagnostic buffer, never an unwind into the host. A thrown
// const char* or std::string keeps its text; anything else says "unknown exception".
// Hooks whose capability is not declared are NULL in the hook table, so the host never calls the
// Adapter base class defaults for them.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "coregate/plugin_abi.h"
#include "coregate/sdk/adapter.h"
#include "coregate/sdk/config.h"
#include "coregate/sdk/host.h"
#include "coregate/sdk/version.h"

namespace coregate::sdk::detail {

inline std::string_view view(cg_type_bytes b) {
  return {b.ptr ? b.ptr : "", b.len};
}

inline std::chrono::system_clock::time_point deadline(int64_t unix_ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms));
}

// Parses JSON text that must be an object; the error names `what` so a host bug is findable.
inline boost::json::object parse_object(cg_type_bytes text, std::string_view what) {
  boost::json::value v = boost::json::parse(view(text));
  if (!v.is_object()) throw std::invalid_argument(std::string(what) + " is not a JSON object");
  return std::move(v.as_object());
}

template <typename AdapterClass>
class PluginShim {
 public:
  static const cg_type_plugin_descriptor* descriptor(const char* name, const char* version,
                                                     uint64_t capabilities, const char* schema) {
    static const cg_type_hooks hooks = make_hooks(capabilities);
    static const cg_type_plugin_descriptor d = {sizeof(cg_type_plugin_descriptor),
                                                COREGATE_ABI_MAJOR,
                                                COREGATE_ABI_MINOR,
                                                0,
                                                name,
                                                version,
                                                COREGATE_SDK_BUILD_SIGNATURE,
                                                capabilities,
                                                schema,
                                                &hooks};
    return &d;
  }

 private:
  struct Instance {
    const cg_type_host* host;
    std::unique_ptr<AdapterClass> adapter;
  };

  static cg_type_hooks make_hooks(uint64_t caps) {
    cg_type_hooks h{};
    h.struct_size = sizeof(cg_type_hooks);
    h.cg_on_create = &on_create;
    h.cg_on_destroy = &on_destroy;
    if (caps & CG_CAP_WRITE) h.cg_on_write = &on_write;
    if (caps & CG_CAP_PROBE) h.cg_on_probe = &on_probe;
    if (caps & CG_CAP_POLL) h.cg_on_poll = &on_poll;
    if (caps & CG_CAP_INBOUND) h.cg_on_inbound = &on_inbound;
    if (caps & CG_CAP_HEALTH) h.cg_on_health = &on_health;
    return h;
  }

  static void assign(const cg_type_host* host, cg_type_buffer* buffer, std::string_view text) {
    if (buffer != nullptr) host->cg_cb_buffer_assign(buffer, text.data(), text.size());
  }

  // The barrier: run `body`; turn any exception into CG_STATUS_ERROR with its message.
  template <typename Body>
  static cg_type_status barrier(const cg_type_host* host, cg_type_buffer* error,
                                std::string_view hook, Body&& body) noexcept {
    try {
      body();
      return CG_STATUS_OK;
    } catch (const std::exception& e) {
      report(host, error, hook, e.what());
    } catch (const char* text) {
      // `throw "message"` is poor style but common; keep its words rather than "unknown".
      report(host, error, hook, text != nullptr ? text : "exception (null message)");
    } catch (const std::string& text) {
      report(host, error, hook, text);
    } catch (...) {
      report(host, error, hook, "unknown exception (not derived from std::exception)");
    }
    return CG_STATUS_ERROR;
  }

  static void report(const cg_type_host* host, cg_type_buffer* error, std::string_view hook,
                     std::string_view what) noexcept {
    try {
      std::string message = std::string(hook) + ": " + std::string(what);
      assign(host, error, message);
    } catch (...) {
      // Out of memory while reporting: the status alone must do.
    }
  }

  static cg_type_status on_create(const cg_type_host* host, cg_type_bytes instance_name,
                                  cg_type_bytes config_json, cg_type_adapter** out,
                                  cg_type_buffer* error) noexcept {
    *out = nullptr;
    return barrier(host, error, "create", [&] {
      Host h(host);
      // An adapter with no config block gets an empty object, not a JSON syntax error.
      boost::json::object values =
          config_json.len == 0 ? boost::json::object() : parse_object(config_json, "config");
      AdapterConfig config(std::string(view(instance_name)), std::move(values), h);
      auto instance =
          std::make_unique<Instance>(Instance{host, std::make_unique<AdapterClass>(config, h)});
      *out = reinterpret_cast<cg_type_adapter*>(instance.release());
    });
  }

  static void on_destroy(cg_type_adapter* adapter) noexcept {
    // A destructor that throws is a bug, but it must not take the gateway down.
    try {
      delete reinterpret_cast<Instance*>(adapter);
    } catch (...) {
    }
  }

  static cg_type_status on_write(cg_type_adapter* adapter, const cg_type_write_request* r,
                                 cg_type_write_result* out) noexcept {
    auto* self = reinterpret_cast<Instance*>(adapter);
    return barrier(self->host, out->diagnostic, "write", [&] {
      boost::json::object record = parse_object(r->record_json, "record");
      WriteRequest request{view(r->idempotency_key),
                           view(r->outcome_id),
                           view(r->outcome_type),
                           view(r->subject),
                           record,
                           r->attempt,
                           deadline(r->deadline_unix_ms)};
      WriteResult result = self->adapter->write(request);
      out->write_class = static_cast<int32_t>(result.write_class);
      out->retry_after_ms = result.retry_after.count();
      assign(self->host, out->reference, result.reference);
      assign(self->host, out->diagnostic, result.diagnostic);
    });
  }

  static cg_type_status on_probe(cg_type_adapter* adapter, const cg_type_probe_request* r,
                                 cg_type_probe_result* out) noexcept {
    auto* self = reinterpret_cast<Instance*>(adapter);
    return barrier(self->host, out->diagnostic, "probe", [&] {
      boost::json::object record =
          r->record_json.len == 0 ? boost::json::object() : parse_object(r->record_json, "record");
      ProbeRequest request{view(r->idempotency_key),
                           view(r->outcome_id),
                           view(r->outcome_type),
                           view(r->subject),
                           record,
                           deadline(r->deadline_unix_ms)};
      ProbeResult result = self->adapter->probe(request);
      out->state = static_cast<int32_t>(result.state);
      assign(self->host, out->reference, result.reference);
      assign(self->host, out->diagnostic, result.diagnostic);
    });
  }

  static cg_type_status on_poll(cg_type_adapter* adapter, const cg_type_poll_request* r,
                                cg_type_poll_result* out) noexcept {
    auto* self = reinterpret_cast<Instance*>(adapter);
    return barrier(self->host, out->diagnostic, "poll", [&] {
      PollRequest request{view(r->source), view(r->cursor), r->max_records,
                          deadline(r->deadline_unix_ms)};
      PollResult result = self->adapter->poll(request);
      assign(self->host, out->records_json, boost::json::serialize(result.records));
      assign(self->host, out->next_cursor, result.next_cursor);
    });
  }

  static cg_type_status on_inbound(cg_type_adapter* adapter, const cg_type_inbound_request* r,
                                   cg_type_inbound_result* out) noexcept {
    auto* self = reinterpret_cast<Instance*>(adapter);
    return barrier(self->host, out->diagnostic, "inbound", [&] {
      boost::json::object headers = r->headers_json.len == 0
                                        ? boost::json::object()
                                        : parse_object(r->headers_json, "headers");
      InboundRequest request{view(r->method), view(r->target), headers, view(r->body)};
      InboundReply reply = self->adapter->inbound(request);
      out->reply_status = reply.status;
      assign(self->host, out->records_json, boost::json::serialize(reply.records));
      if (!reply.headers.empty()) {
        assign(self->host, out->reply_headers_json, boost::json::serialize(reply.headers));
      }
      assign(self->host, out->reply_body, reply.body);
    });
  }

  static cg_type_status on_health(cg_type_adapter* adapter, const cg_type_health_request* r,
                                  cg_type_health_result* out) noexcept {
    auto* self = reinterpret_cast<Instance*>(adapter);
    return barrier(self->host, out->detail, "health", [&] {
      HealthResult result = self->adapter->health(HealthRequest{deadline(r->deadline_unix_ms)});
      out->state = static_cast<int32_t>(result.state);
      assign(self->host, out->detail, result.detail);
    });
  }
};

}  // namespace coregate::sdk::detail

#define COREGATE_PLUGIN(AdapterClass, name, version, capabilities, config_schema_json)            \
  extern "C" COREGATE_PLUGIN_EXPORT const cg_type_plugin_descriptor* coregate_plugin_init(void) { \
    return ::coregate::sdk::detail::PluginShim<AdapterClass>::descriptor(                         \
        name, version, capabilities, config_schema_json);                                         \
  }
