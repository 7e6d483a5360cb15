#include "gateway/plugin_host/adapter_instance.h"

#include <exception>

namespace coregate::plugin_host {
namespace {

cg_type_bytes bytes(std::string_view s) {
  return {s.data(), s.size()};
}

// Runs a hook; a C++ exception escaping a raw C hook (no SDK barrier) is caught here so it can
// never unwind through the gateway. Returns the hook's status, or ERROR with `escaped` set.
template <typename Call>
cg_type_status guarded(Call&& call, std::string& escaped) {
  try {
    return call();
  } catch (const std::exception& e) {
    escaped =
        std::string("let a C++ exception escape across the C ABI (a plugin bug): ") + e.what();
  } catch (...) {
    escaped = "let a non-standard exception escape across the C ABI (a plugin bug)";
  }
  return CG_STATUS_ERROR;
}

std::string hook_error(std::string_view hook, const std::string& escaped,
                       const std::string& buffer) {
  std::string detail = !escaped.empty() ? escaped : buffer;
  if (detail.empty()) detail = "failed without a message";
  // SDK-built plugins already start their message with "<hook>: "; don't say it twice.
  std::string prefix = std::string(hook) + ": ";
  if (detail.rfind(prefix, 0) == 0) detail = detail.substr(prefix.size());
  return std::string(hook) + " hook: " + detail;
}

std::string missing(std::string_view hook, const AdapterInstance& a) {
  return "adapter '" + a.name() + "' (plugin " + a.plugin().name() + ") has no " +
         std::string(hook) + " capability";
}

}  // namespace

AdapterInstance::AdapterInstance(std::shared_ptr<const PluginLibrary> library,
                                 std::unique_ptr<HostTable> host)
    : library_(std::move(library)), host_(std::move(host)) {}

CreateResult AdapterInstance::create(std::shared_ptr<const PluginLibrary> library,
                                     std::string instance_name, std::string_view config_json,
                                     HostServices& services) {
  auto host = std::make_unique<HostTable>(instance_name, services);
  std::unique_ptr<AdapterInstance> instance(new AdapterInstance(library, std::move(host)));
  cg_type_buffer error;
  std::string escaped;
  cg_type_adapter* handle = nullptr;
  cg_type_status status = guarded(
      [&] {
        return library->hooks().cg_on_create(instance->host_->table(), bytes(instance_name),
                                             bytes(config_json), &handle, &error);
      },
      escaped);
  if (status != CG_STATUS_OK || handle == nullptr) {
    if (status == CG_STATUS_OK) escaped = "returned success but no adapter";
    // A plugin that failed after allocating is its own problem; we never call destroy on a
    // handle we were not given.
    instance->adapter_ = nullptr;
    return {nullptr, hook_error("create", escaped, error.data)};
  }
  instance->adapter_ = handle;
  return {std::move(instance), {}};
}

AdapterInstance::~AdapterInstance() {
  if (adapter_ != nullptr) {
    std::string escaped;
    (void)guarded(
        [&] {
          library_->hooks().cg_on_destroy(adapter_);
          return CG_STATUS_OK;
        },
        escaped);
  }
  // host_ and then library_ are released after this body: the library unloads last.
}

sdk::WriteResult AdapterInstance::write(const WriteCall& call) const {
  if (!can(CG_CAP_WRITE)) return sdk::WriteResult::rejected(missing("write", *this));
  cg_type_write_request request{sizeof(cg_type_write_request), call.attempt,
                                bytes(call.idempotency_key),   bytes(call.outcome_id),
                                bytes(call.outcome_type),      bytes(call.subject),
                                bytes(call.record_json),       call.deadline_unix_ms};
  cg_type_buffer reference;
  cg_type_buffer diagnostic;
  cg_type_write_result result{sizeof(cg_type_write_result), CG_WRITE_AMBIGUOUS, 0, &reference,
                              &diagnostic};
  std::string escaped;
  cg_type_status status =
      guarded([&] { return library_->hooks().cg_on_write(adapter_, &request, &result); }, escaped);
  if (status != CG_STATUS_OK) {
    // The hook could not say what happened: the write may or may not have reached the target.
    return sdk::WriteResult::ambiguous(hook_error("write", escaped, diagnostic.data));
  }
  if (result.write_class < CG_WRITE_APPLIED || result.write_class > CG_WRITE_AMBIGUOUS) {
    return sdk::WriteResult::ambiguous("write hook returned unknown class " +
                                       std::to_string(result.write_class) + " (a plugin bug)");
  }
  return {static_cast<sdk::WriteClass>(result.write_class), std::move(reference.data),
          std::move(diagnostic.data),
          std::chrono::milliseconds(std::max<int64_t>(0, result.retry_after_ms))};
}

sdk::ProbeResult AdapterInstance::probe(const ProbeCall& call) const {
  if (!can(CG_CAP_PROBE)) return sdk::ProbeResult::unknown(missing("probe", *this));
  cg_type_probe_request request{sizeof(cg_type_probe_request), 0,
                                bytes(call.idempotency_key),   bytes(call.outcome_id),
                                bytes(call.outcome_type),      bytes(call.subject),
                                bytes(call.record_json),       call.deadline_unix_ms};
  cg_type_buffer reference;
  cg_type_buffer diagnostic;
  cg_type_probe_result result{sizeof(cg_type_probe_result), CG_PROBE_UNKNOWN, &reference,
                              &diagnostic};
  std::string escaped;
  cg_type_status status =
      guarded([&] { return library_->hooks().cg_on_probe(adapter_, &request, &result); }, escaped);
  if (status != CG_STATUS_OK)
    return sdk::ProbeResult::unknown(hook_error("probe", escaped, diagnostic.data));
  if (result.state < CG_PROBE_UNKNOWN || result.state > CG_PROBE_NOT_FOUND) {
    return sdk::ProbeResult::unknown("probe hook returned unknown state " +
                                     std::to_string(result.state));
  }
  return {static_cast<sdk::ProbeState>(result.state), std::move(reference.data),
          std::move(diagnostic.data)};
}

PollOutcome AdapterInstance::poll(const PollCall& call) const {
  if (!can(CG_CAP_POLL)) return {false, {}, {}, missing("poll", *this)};
  cg_type_poll_request request{sizeof(cg_type_poll_request), call.max_records, bytes(call.source),
                               bytes(call.cursor), call.deadline_unix_ms};
  cg_type_buffer records;
  cg_type_buffer cursor;
  cg_type_buffer diagnostic;
  cg_type_poll_result result{sizeof(cg_type_poll_result), 0, &records, &cursor, &diagnostic};
  std::string escaped;
  cg_type_status status =
      guarded([&] { return library_->hooks().cg_on_poll(adapter_, &request, &result); }, escaped);
  if (status != CG_STATUS_OK) return {false, {}, {}, hook_error("poll", escaped, diagnostic.data)};
  if (records.data.empty()) records.data = "[]";
  return {true, std::move(records.data), std::move(cursor.data), std::move(diagnostic.data)};
}

InboundOutcome AdapterInstance::inbound(const InboundCall& call) const {
  if (!can(CG_CAP_INBOUND)) return {false, 404, {}, {}, {}, missing("inbound", *this)};
  cg_type_inbound_request request{sizeof(cg_type_inbound_request),
                                  0,
                                  bytes(call.method),
                                  bytes(call.target),
                                  bytes(call.headers_json),
                                  bytes(call.body)};
  cg_type_buffer records;
  cg_type_buffer headers;
  cg_type_buffer body;
  cg_type_buffer diagnostic;
  cg_type_inbound_result result{
      sizeof(cg_type_inbound_result), 0, &records, &headers, &body, &diagnostic};
  std::string escaped;
  cg_type_status status = guarded(
      [&] { return library_->hooks().cg_on_inbound(adapter_, &request, &result); }, escaped);
  if (status != CG_STATUS_OK)
    return {false, 500, {}, {}, {}, hook_error("inbound", escaped, diagnostic.data)};
  if (records.data.empty()) records.data = "[]";
  return {true,
          result.reply_status,
          std::move(records.data),
          std::move(headers.data),
          std::move(body.data),
          std::move(diagnostic.data)};
}

sdk::HealthResult AdapterInstance::health(int64_t deadline_unix_ms) const {
  if (!can(CG_CAP_HEALTH)) return {sdk::HealthState::kHealthy, "no health check declared"};
  cg_type_health_request request{sizeof(cg_type_health_request), 0, deadline_unix_ms};
  cg_type_buffer detail;
  cg_type_health_result result{sizeof(cg_type_health_result), CG_HEALTH_UNHEALTHY, &detail};
  std::string escaped;
  cg_type_status status =
      guarded([&] { return library_->hooks().cg_on_health(adapter_, &request, &result); }, escaped);
  if (status != CG_STATUS_OK)
    return {sdk::HealthState::kUnhealthy, hook_error("health", escaped, detail.data)};
  if (result.state < CG_HEALTH_HEALTHY || result.state > CG_HEALTH_UNHEALTHY) {
    return {sdk::HealthState::kUnhealthy,
            "health hook returned unknown state " + std::to_string(result.state)};
  }
  return {static_cast<sdk::HealthState>(result.state), std::move(detail.data)};
}

}  // namespace coregate::plugin_host
