// The host's services as seen by an adapter: logging tagged with the adapter instance, metrics,
// secrets, outbound credentials and the clock. A thin, copyable view over cg_type_host.
//
// Lifetime: valid from the adapter's construction until its destructor returns (the host keeps the
// table alive that long). Thread-safety: every method may be called from any thread at once.
// A host that leaves a callback NULL (or a Host made from nullptr, as unit tests of config code
// do) degrades instead of crashing: logs and metrics are dropped, secret and credential look-ups
// fail with a reason, and the clocks fall back to the system's.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "coregate/plugin_abi.h"

namespace coregate::sdk {

enum class LogLevel : int32_t {
  kTrace = CG_LOG_TRACE,
  kDebug = CG_LOG_DEBUG,
  kInfo = CG_LOG_INFO,
  kWarn = CG_LOG_WARN,
  kError = CG_LOG_ERROR,
};

// A value fetched from the host, or why it could not be. Never carries a secret in `error`.
struct [[nodiscard]] Fetched {
  bool ok = false;
  std::string value;
  std::string error;
};

class Host {
 public:
  explicit Host(const cg_type_host* host) : host_(host) {}

  void log(LogLevel level, std::string_view message) const {
    if (host_ == nullptr || host_->cg_cb_log == nullptr) return;
    host_->cg_cb_log(host_->context, static_cast<int32_t>(level), bytes(message));
  }
  void debug(std::string_view m) const { log(LogLevel::kDebug, m); }
  void info(std::string_view m) const { log(LogLevel::kInfo, m); }
  void warn(std::string_view m) const { log(LogLevel::kWarn, m); }
  void error(std::string_view m) const { log(LogLevel::kError, m); }

  // Metrics are exported as coregate_adapter_<name>{adapter="<instance>", <labels>}.
  void count(std::string_view name, double delta = 1,
             const boost::json::object& labels = {}) const {
    metric(CG_METRIC_COUNTER, name, labels, delta);
  }
  void gauge(std::string_view name, double value, const boost::json::object& labels = {}) const {
    metric(CG_METRIC_GAUGE, name, labels, value);
  }
  void observe(std::string_view name, double value, const boost::json::object& labels = {}) const {
    metric(CG_METRIC_HISTOGRAM, name, labels, value);
  }

  // Resolves "${env:NAME}" or "${file:/path}". The host redacts the value from every log line.
  Fetched secret(std::string_view reference) const {
    Fetched f;
    if (host_ == nullptr || host_->cg_cb_secret == nullptr) {
      f.error = "the host offers no secret look-up";
      return f;
    }
    f.ok = host_->cg_cb_secret(host_->context, bytes(reference), sink(f.value), sink(f.error)) ==
           CG_STATUS_OK;
    return f;
  }

  // The current credential from a gateway-configured provider (e.g. "Bearer <token>"). Pass
  // force_refresh after the target answered 401 to the cached one.
  Fetched credentials(std::string_view provider, bool force_refresh = false) const {
    Fetched f;
    if (host_ == nullptr || host_->cg_cb_credentials == nullptr) {
      f.error = "the host offers no credential providers";
      return f;
    }
    f.ok = host_->cg_cb_credentials(host_->context, bytes(provider), force_refresh ? 1 : 0,
                                    sink(f.value), sink(f.error)) == CG_STATUS_OK;
    return f;
  }

  // Wall clock and monotonic clock as the host sees them (tests inject fake clocks).
  std::chrono::system_clock::time_point now() const {
    if (host_ == nullptr || host_->cg_cb_clock_unix_ms == nullptr) {
      return std::chrono::time_point_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now());
    }
    return std::chrono::system_clock::time_point(
        std::chrono::milliseconds(host_->cg_cb_clock_unix_ms(host_->context)));
  }
  std::chrono::nanoseconds monotonic() const {
    if (host_ == nullptr || host_->cg_cb_clock_monotonic_ns == nullptr) {
      return std::chrono::steady_clock::now().time_since_epoch();
    }
    return std::chrono::nanoseconds(host_->cg_cb_clock_monotonic_ns(host_->context));
  }

  const cg_type_host* raw() const { return host_; }

 private:
  static cg_type_bytes bytes(std::string_view s) { return {s.data(), s.size()}; }
  static cg_type_sink sink(std::string& target) {
    return {&target, [](void* self, const char* p, size_t n) {
              static_cast<std::string*>(self)->append(p, n);
            }};
  }
  void metric(int32_t kind, std::string_view name, const boost::json::object& labels,
              double value) const {
    if (host_ == nullptr || host_->cg_cb_metric == nullptr) return;
    std::string labels_json = labels.empty() ? std::string() : boost::json::serialize(labels);
    host_->cg_cb_metric(host_->context, kind, bytes(name), bytes(labels_json), value);
  }

  const cg_type_host* host_;
};

}  // namespace coregate::sdk
