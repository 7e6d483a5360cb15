// Process metrics in the Prometheus data model: counter, gauge and histogram families with labels,
// rendered in the text exposition format for GET /metrics.
//
// Usage: register families once at start-up (registering the same name twice returns the same
// family if the type and label names match, and throws std::logic_error otherwise), keep the
// family reference, then on the hot path call family.labels({"core", "applied"}).inc().
// Looking up a label set takes a shared lock and is cheap; callers on very hot paths may keep the
// returned series reference, which stays valid for the registry's lifetime.
//
// Thread-safety: everything is safe to call from any thread. Values are atomics; histograms take a
// small per-series lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  void inc(double delta = 1.0);  // negative deltas are ignored: counters only go up
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double delta);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds)
      : bounds_(bounds), counts_(bounds->size() + 1, 0) {}
  void observe(double v);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double>* bounds_;
  mutable std::mutex mutex_;
  std::vector<uint64_t> counts_;  // non-cumulative, last is +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

enum class MetricType { kCounter, kGauge, kHistogram };

// One named metric with fixed label names and one series per label-value set.
template <typename Series>
class Family {
 public:
  Family(std::string name, std::string help, std::vector<std::string> label_names,
         std::vector<double> bounds = {})
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}

  // The series for these label values (as many as label names; throws std::invalid_argument
  // otherwise). The reference stays valid for the registry's lifetime.
  Series& labels(const LabelValues& values);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }

  // A consistent copy of the series map for rendering.
  std::vector<std::pair<LabelValues, const Series*>> series() const;

 private:
  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mutex_;
  std::map<LabelValues, std::unique_ptr<Series>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Latency buckets in seconds, from 0.5 ms to 30 s.
std::vector<double> default_latency_buckets();

class MetricsRegistry {
 public:
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names = {},
                             std::vector<double> bounds = default_latency_buckets());

  // The Prometheus text exposition format (version 0.0.4), families sorted by name.
  std::string render() const;

 private:
  struct Entry {
    MetricType type;
    std::unique_ptr<CounterFamily> counter;
    std::unique_ptr<GaugeFamily> gauge;
    std::unique_ptr<HistogramFamily> histogram;
  };
  Entry& entry(const std::string& name, MetricType type,
               const std::vector<std::string>& label_names);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> families_;
};

}  // namespace coregate::metrics
