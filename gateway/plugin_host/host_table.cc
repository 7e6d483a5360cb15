#include "gateway/plugin_host/host_table.h"

#include <exception>

#include "gateway/logging/logging.h"
#include "gateway/secrets/secret_reference.h"

namespace coregate::plugin_host {
namespace {

// Callbacks are called from C code in the plugin: nothing may escape them.

void buffer_assign(cg_type_buffer* buffer, const char* ptr, size_t len) {
  if (buffer == nullptr) return;
  try {
    buffer->data.assign(ptr ? ptr : "", ptr ? len : 0);
  } catch (...) {
  }
}

void buffer_append(cg_type_buffer* buffer, const char* ptr, size_t len) {
  if (buffer == nullptr || ptr == nullptr) return;
  try {
    buffer->data.append(ptr, len);
  } catch (...) {
  }
}

spdlog::level::level_enum to_spdlog(int32_t level) {
  switch (level) {
    case CG_LOG_TRACE:
      return spdlog::level::trace;
    case CG_LOG_DEBUG:
      return spdlog::level::debug;
    case CG_LOG_INFO:
      return spdlog::level::info;
    case CG_LOG_WARN:
      return spdlog::level::warn;
    default:
      return spdlog::level::err;
  }
}

std::string_view view(cg_type_bytes b) {
  return {b.ptr ? b.ptr : "", b.ptr ? b.len : 0};
}

void log(cg_type_host_context* context, int32_t level, cg_type_bytes message) {
  try {
    context->logger->log(to_spdlog(level), "{}", view(message));
  } catch (...) {
  }
}

void metric(cg_type_host_context* context, int32_t kind, cg_type_bytes name, cg_type_bytes labels,
            double value) {
  try {
    context->services->metric(context->instance, kind, view(name), view(labels), value);
  } catch (...) {
  }
}

void write_sink(cg_type_sink sink, std::string_view text) {
  if (sink.write != nullptr) sink.write(sink.self, text.data(), text.size());
}

cg_type_status secret(cg_type_host_context*, cg_type_bytes reference, cg_type_sink out,
                      cg_type_sink error) {
  try {
    secrets::Expansion e = secrets::expand_references(view(reference));
    if (!e.ok) {
      write_sink(error, e.error);
      return CG_STATUS_ERROR;
    }
    write_sink(out, e.value);
    return CG_STATUS_OK;
  } catch (const std::exception& ex) {
    write_sink(error, ex.what());
  } catch (...) {
  }
  return CG_STATUS_ERROR;
}

cg_type_status credentials(cg_type_host_context* context, cg_type_bytes provider,
                           int32_t force_refresh, cg_type_sink out, cg_type_sink error) {
  try {
    sdk::Fetched f =
        context->services->credentials(context->instance, view(provider), force_refresh != 0);
    write_sink(f.ok ? out : error, f.ok ? f.value : f.error);
    return f.ok ? CG_STATUS_OK : CG_STATUS_ERROR;
  } catch (const std::exception& ex) {
    write_sink(error, ex.what());
  } catch (...) {
  }
  return CG_STATUS_ERROR;
}

int64_t clock_unix_ms(cg_type_host_context* context) {
  return context->services->unix_ms();
}
int64_t clock_monotonic_ns(cg_type_host_context* context) {
  return context->services->monotonic_ns();
}

}  // namespace

HostTable::HostTable(std::string instance, HostServices& services)
    : context_{instance, logging::adapter_logger(instance), &services} {
  table_.struct_size = sizeof(cg_type_host);
  table_.context = &context_;
  table_.cg_cb_buffer_assign = &buffer_assign;
  table_.cg_cb_buffer_append = &buffer_append;
  table_.cg_cb_log = &log;
  table_.cg_cb_metric = &metric;
  table_.cg_cb_secret = &secret;
  table_.cg_cb_credentials = &credentials;
  table_.cg_cb_clock_unix_ms = &clock_unix_ms;
  table_.cg_cb_clock_monotonic_ns = &clock_monotonic_ns;
}

}  // namespace coregate::plugin_host
