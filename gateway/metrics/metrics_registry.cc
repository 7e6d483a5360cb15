#include "gateway/metrics/metrics_registry.h"

#include <algorithm>
#include <stdexcept>

#include "gateway/metrics/prometheus_text.h"

namespace coregate::metrics {
namespace {

void atomic_add(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
  }
}

}  // namespace

void Counter::inc(double delta) {
  if (delta > 0) atomic_add(value_, delta);
}

void Gauge::add(double delta) {
  atomic_add(value_, delta);
}

void Histogram::observe(double v) {
  size_t bucket =
      static_cast<size_t>(std::lower_bound(bounds_->begin(), bounds_->end(), v) - bounds_->begin());
  std::lock_guard lock(mutex_);
  ++counts_[bucket];
  sum_ += v;
  ++count_;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  std::lock_guard lock(mutex_);
  uint64_t running = 0;
  for (uint64_t c : counts_) {
    running += c;
    s.cumulative.push_back(running);
  }
  s.sum = sum_;
  s.count = count_;
  return s;
}

template <typename Series>
Series& Family<Series>::labels(const LabelValues& values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + " takes " +
                                std::to_string(label_names_.size()) + " label values, got " +
                                std::to_string(values.size()));
  }
  {
    std::shared_lock lock(mutex_);
    auto it = series_.find(values);
    if (it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = series_[values];
  if (!slot) {
    if constexpr (std::is_same_v<Series, Histogram>) {
      slot = std::make_unique<Histogram>(&bounds_);
    } else {
      slot = std::make_unique<Series>();
    }
  }
  return *slot;
}

template <typename Series>
std::vector<std::pair<LabelValues, const Series*>> Family<Series>::series() const {
  std::shared_lock lock(mutex_);
  std::vector<std::pair<LabelValues, const Series*>> out;
  for (const auto& [labels, s] : series_) out.emplace_back(labels, s.get());
  return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

MetricsRegistry::Entry& MetricsRegistry::entry(const std::string& name, MetricType type,
                                               const std::vector<std::string>& label_names) {
  if (!is_valid_metric_name(name)) throw std::logic_error("invalid metric name '" + name + "'");
  for (const auto& l : label_names) {
    if (!is_valid_label_name(l))
      throw std::logic_error("invalid label name '" + l + "' on metric " + name);
  }
  auto it = families_.find(name);
  if (it != families_.end()) {
    const std::vector<std::string>* existing = nullptr;
    if (it->second.type == MetricType::kCounter) existing = &it->second.counter->label_names();
    if (it->second.type == MetricType::kGauge) existing = &it->second.gauge->label_names();
    if (it->second.type == MetricType::kHistogram) existing = &it->second.histogram->label_names();
    if (it->second.type != type || *existing != label_names) {
      throw std::logic_error("metric " + name + " registered twice with different type or labels");
    }
  }
  return families_[name];
}

CounterFamily& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  Entry& e = entry(name, MetricType::kCounter, label_names);
  if (!e.counter) {
    e.type = MetricType::kCounter;
    e.counter = std::make_unique<CounterFamily>(name, help, std::move(label_names));
  }
  return *e.counter;
}

GaugeFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  Entry& e = entry(name, MetricType::kGauge, label_names);
  if (!e.gauge) {
    e.type = MetricType::kGauge;
    e.gauge = std::make_unique<GaugeFamily>(name, help, std::move(label_names));
  }
  return *e.gauge;
}

HistogramFamily& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bounds) {
  if (bounds.empty() || !std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end()) {
    throw std::logic_error("histogram " + name + " needs strictly increasing bucket bounds");
  }
  std::lock_guard lock(mutex_);
  Entry& e = entry(name, MetricType::kHistogram, label_names);
  if (!e.histogram) {
    e.type = MetricType::kHistogram;
    e.histogram =
        std::make_unique<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
  }
  return *e.histogram;
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(4096);
  for (const auto& [name, e] : families_) {
    switch (e.type) {
      case MetricType::kCounter:
        render_counter(*e.counter, out);
        break;
      case MetricType::kGauge:
        render_gauge(*e.gauge, out);
        break;
      case MetricType::kHistogram:
        render_histogram(*e.histogram, out);
        break;
    }
  }
  return out;
}

}  // namespace coregate::metrics
