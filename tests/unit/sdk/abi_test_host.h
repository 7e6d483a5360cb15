// A real host for tests that drive plugin hooks through the C ABI, exactly as the gateway does:
// a cg_type_host whose callbacks record logs and metrics, resolve secrets from a map and read a
// settable clock; host-owned buffers that plugins fill through cg_cb_buffer_assign/append; and
// RAII wrappers for a loaded library and a created adapter.
//
// Header-only and free of gateway code, so SDK tests and plugin tests share it. Thread-safe: the
// callbacks may be called from any number of plugin threads at once.
#pragma once

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <coregate/plugin_abi.h>

namespace coregate::testing {

inline cg_type_bytes bytes(std::string_view s) {
  return {s.data(), s.size()};
}

// A host-owned buffer. The ABI keeps cg_type_buffer opaque; this host's buffers are std::strings.
class Buffer {
 public:
  cg_type_buffer* get() { return reinterpret_cast<cg_type_buffer*>(&text_); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

struct LoggedLine {
  int32_t level;
  std::string message;
};

struct RecordedMetric {
  int32_t kind;
  std::string name;
  std::string labels_json;
  double value;
};

class TestHost {
 public:
  TestHost() {
    table_.struct_size = sizeof(cg_type_host);
    table_.context = reinterpret_cast<cg_type_host_context*>(this);
    table_.cg_cb_buffer_assign = [](cg_type_buffer* b, const char* p, size_t n) {
      reinterpret_cast<std::string*>(b)->assign(p, n);
    };
    table_.cg_cb_buffer_append = [](cg_type_buffer* b, const char* p, size_t n) {
      reinterpret_cast<std::string*>(b)->append(p, n);
    };
    table_.cg_cb_log = [](cg_type_host_context* c, int32_t level, cg_type_bytes m) {
      auto* self = self_of(c);
      std::lock_guard lock(self->mutex_);
      self->logs_.push_back({level, std::string(m.ptr, m.len)});
    };
    table_.cg_cb_metric = [](cg_type_host_context* c, int32_t kind, cg_type_bytes name,
                             cg_type_bytes labels, double value) {
      auto* self = self_of(c);
      std::lock_guard lock(self->mutex_);
      self->metrics_.push_back(
          {kind, std::string(name.ptr, name.len), std::string(labels.ptr, labels.len), value});
    };
    table_.cg_cb_secret = [](cg_type_host_context* c, cg_type_bytes ref, cg_type_sink out,
                             cg_type_sink error) {
      auto* self = self_of(c);
      std::lock_guard lock(self->mutex_);
      auto it = self->secrets_.find(std::string(ref.ptr, ref.len));
      if (it == self->secrets_.end()) {
        std::string reason = "no such secret";
        error.write(error.self, reason.data(), reason.size());
        return CG_STATUS_ERROR;
      }
      out.write(out.self, it->second.data(), it->second.size());
      return CG_STATUS_OK;
    };
    table_.cg_cb_credentials = [](cg_type_host_context*, cg_type_bytes provider, int32_t,
                                  cg_type_sink out, cg_type_sink) {
      std::string value = "Bearer token-for-" + std::string(provider.ptr, provider.len);
      out.write(out.self, value.data(), value.size());
      return CG_STATUS_OK;
    };
    table_.cg_cb_clock_unix_ms = [](cg_type_host_context* c) -> int64_t {
      int64_t fixed = self_of(c)->fixed_unix_ms_.load();
      if (fixed != 0) return fixed;
      return std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    table_.cg_cb_clock_monotonic_ns = [](cg_type_host_context*) -> int64_t {
      return std::chrono::steady_clock::now().time_since_epoch().count();
    };
  }
  TestHost(const TestHost&) = delete;
  TestHost& operator=(const TestHost&) = delete;

  const cg_type_host* table() const { return &table_; }
  cg_type_host* mutable_table() { return &table_; }

  void set_secret(std::string reference, std::string value) {
    std::lock_guard lock(mutex_);
    secrets_[std::move(reference)] = std::move(value);
  }
  // 0: follow the system clock.
  void set_clock_unix_ms(int64_t ms) { fixed_unix_ms_ = ms; }
  int64_t now_unix_ms() const { return table_.cg_cb_clock_unix_ms(table_.context); }

  std::vector<LoggedLine> logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
  }
  std::vector<RecordedMetric> metrics() const {
    std::lock_guard lock(mutex_);
    return metrics_;
  }
  bool logged(std::string_view fragment) const {
    for (const auto& line : logs()) {
      if (line.message.find(fragment) != std::string::npos) return true;
    }
    return false;
  }

 private:
  static TestHost* self_of(cg_type_host_context* c) { return reinterpret_cast<TestHost*>(c); }

  cg_type_host table_{};
  mutable std::mutex mutex_;
  std::vector<LoggedLine> logs_;
  std::vector<RecordedMetric> metrics_;
  std::map<std::string, std::string> secrets_;
  std::atomic<int64_t> fixed_unix_ms_{0};
};

// What one hook call returned, copied out of the host buffers.
struct WriteOutcome {
  cg_type_status status = CG_STATUS_ERROR;
  int32_t write_class = CG_WRITE_AMBIGUOUS;
  int64_t retry_after_ms = 0;
  std::string reference;
  std::string diagnostic;
};
struct ProbeOutcome {
  cg_type_status status = CG_STATUS_ERROR;
  int32_t state = CG_PROBE_UNKNOWN;
  std::string reference;
  std::string diagnostic;
};
struct PollOutcome {
  cg_type_status status = CG_STATUS_ERROR;
  std::string records_json, next_cursor, diagnostic;
};
struct InboundOutcome {
  cg_type_status status = CG_STATUS_ERROR;
  int32_t reply_status = 0;
  std::string records_json, reply_headers_json, reply_body, diagnostic;
};
struct HealthOutcome {
  cg_type_status status = CG_STATUS_ERROR;
  int32_t state = CG_HEALTH_UNHEALTHY;
  std::string detail;
};

struct WriteCall {
  std::string key = "key-1";
  std::string outcome_id = "outcome-1";
  std::string outcome_type = "note.added";
  std::string subject = "account-1";
  std::string record_json = R"({"text":"hello"})";
  uint32_t attempt = 1;
  int64_t deadline_unix_ms = 0;  // 0: now + 5 s
};

// One adapter created through a descriptor's hooks; destroyed (through cg_on_destroy) with it.
class AdapterHandle {
 public:
  // Creates the adapter; on failure ok() is false and error() says why.
  AdapterHandle(const cg_type_plugin_descriptor* descriptor, TestHost& host,
                std::string_view config_json, std::string_view instance = "test")
      : hooks_(descriptor->hooks), host_(host) {
    Buffer error;
    status_ = hooks_->cg_on_create(host.table(), bytes(instance), bytes(config_json), &adapter_,
                                   error.get());
    error_ = error.text();
  }
  ~AdapterHandle() {
    if (adapter_ != nullptr) hooks_->cg_on_destroy(adapter_);
  }
  AdapterHandle(const AdapterHandle&) = delete;
  AdapterHandle& operator=(const AdapterHandle&) = delete;

  bool ok() const { return status_ == CG_STATUS_OK && adapter_ != nullptr; }
  cg_type_status create_status() const { return status_; }
  const std::string& error() const { return error_; }
  cg_type_adapter* raw() const { return adapter_; }

  WriteOutcome write(const WriteCall& call) const {
    cg_type_write_request r{};
    r.struct_size = sizeof r;
    r.attempt = call.attempt;
    r.idempotency_key = bytes(call.key);
    r.outcome_id = bytes(call.outcome_id);
    r.outcome_type = bytes(call.outcome_type);
    r.subject = bytes(call.subject);
    r.record_json = bytes(call.record_json);
    r.deadline_unix_ms =
        call.deadline_unix_ms != 0 ? call.deadline_unix_ms : host_.now_unix_ms() + 5000;
    Buffer reference, diagnostic;
    cg_type_write_result out{};
    out.struct_size = sizeof out;
    out.write_class = CG_WRITE_AMBIGUOUS;
    out.reference = reference.get();
    out.diagnostic = diagnostic.get();
    WriteOutcome o;
    o.status = hooks_->cg_on_write(adapter_, &r, &out);
    o.write_class = out.write_class;
    o.retry_after_ms = out.retry_after_ms;
    o.reference = reference.text();
    o.diagnostic = diagnostic.text();
    return o;
  }
  WriteOutcome write(std::string_view key) const {
    WriteCall call;
    call.key = std::string(key);
    return write(call);
  }

  ProbeOutcome probe(std::string_view key, std::string_view record_json = {},
                     int64_t deadline_unix_ms = 0) const {
    cg_type_probe_request r{};
    r.struct_size = sizeof r;
    r.idempotency_key = bytes(key);
    r.outcome_id = bytes("outcome-1");
    r.outcome_type = bytes("account.note_added");
    r.subject = bytes("acct-1");
    r.record_json = bytes(record_json);
    r.deadline_unix_ms = deadline_unix_ms != 0 ? deadline_unix_ms : host_.now_unix_ms() + 5000;
    Buffer reference, diagnostic;
    cg_type_probe_result out{};
    out.struct_size = sizeof out;
    out.state = CG_PROBE_UNKNOWN;
    out.reference = reference.get();
    out.diagnostic = diagnostic.get();
    ProbeOutcome o;
    o.status = hooks_->cg_on_probe(adapter_, &r, &out);
    o.state = out.state;
    o.reference = reference.text();
    o.diagnostic = diagnostic.text();
    return o;
  }

  PollOutcome poll(std::string_view source, std::string_view cursor, uint32_t max) const {
    cg_type_poll_request r{};
    r.struct_size = sizeof r;
    r.max_records = max;
    r.source = bytes(source);
    r.cursor = bytes(cursor);
    r.deadline_unix_ms = host_.now_unix_ms() + 5000;
    Buffer records, cursor_out, diagnostic;
    cg_type_poll_result out{};
    out.struct_size = sizeof out;
    out.records_json = records.get();
    out.next_cursor = cursor_out.get();
    out.diagnostic = diagnostic.get();
    PollOutcome o;
    o.status = hooks_->cg_on_poll(adapter_, &r, &out);
    o.records_json = records.text();
    o.next_cursor = cursor_out.text();
    o.diagnostic = diagnostic.text();
    return o;
  }

  InboundOutcome inbound(std::string_view body, std::string_view headers_json = "{}",
                         std::string_view target = "/") const {
    cg_type_inbound_request r{};
    r.struct_size = sizeof r;
    r.method = bytes("POST");
    r.target = bytes(target);
    r.headers_json = bytes(headers_json);
    r.body = bytes(body);
    Buffer records, headers, reply, diagnostic;
    cg_type_inbound_result out{};
    out.struct_size = sizeof out;
    out.records_json = records.get();
    out.reply_headers_json = headers.get();
    out.reply_body = reply.get();
    out.diagnostic = diagnostic.get();
    InboundOutcome o;
    o.status = hooks_->cg_on_inbound(adapter_, &r, &out);
    o.reply_status = out.reply_status;
    o.records_json = records.text();
    o.reply_headers_json = headers.text();
    o.reply_body = reply.text();
    o.diagnostic = diagnostic.text();
    return o;
  }

  HealthOutcome health(int64_t deadline_unix_ms = 0) const {
    cg_type_health_request r{};
    r.struct_size = sizeof r;
    r.deadline_unix_ms = deadline_unix_ms != 0 ? deadline_unix_ms : host_.now_unix_ms() + 5000;
    Buffer detail;
    cg_type_health_result out{};
    out.struct_size = sizeof out;
    out.state = CG_HEALTH_UNHEALTHY;
    out.detail = detail.get();
    HealthOutcome o;
    o.status = hooks_->cg_on_health(adapter_, &r, &out);
    o.state = out.state;
    o.detail = detail.text();
    return o;
  }

 private:
  const cg_type_hooks* hooks_;
  TestHost& host_;
  cg_type_adapter* adapter_ = nullptr;
  cg_type_status status_ = CG_STATUS_ERROR;
  std::string error_;
};

// A plugin library opened the way the gateway opens it (RTLD_NOW | RTLD_LOCAL). Closed last:
// declare it before any AdapterHandle made from its descriptor.
class LoadedPlugin {
 public:
  explicit LoadedPlugin(const std::string& path) {
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) throw std::runtime_error("dlopen " + path + ": " + ::dlerror());
    void* entry = ::dlsym(handle_, COREGATE_PLUGIN_ENTRY_SYMBOL);
    if (entry == nullptr) throw std::runtime_error(path + ": no " COREGATE_PLUGIN_ENTRY_SYMBOL);
    descriptor_ = reinterpret_cast<cg_type_plugin_init_fn>(entry)();
    if (descriptor_ == nullptr) throw std::runtime_error(path + ": init returned NULL");
  }
  ~LoadedPlugin() {
    if (handle_ != nullptr) ::dlclose(handle_);
  }
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const cg_type_plugin_descriptor* descriptor() const { return descriptor_; }

 private:
  void* handle_ = nullptr;
  const cg_type_plugin_descriptor* descriptor_ = nullptr;
};

}  // namespace coregate::testing
