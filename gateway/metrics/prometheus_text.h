// The Prometheus text exposition format (0.0.4): escaping, number formatting, one family at a time.
#pragma once

#include <string>
#include <string_view>

#include "gateway/metrics/metrics_registry.h"

namespace coregate::metrics {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool is_valid_metric_name(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"
bool is_valid_label_name(std::string_view name);

// Escapes a label value (backslash, double quote, newline).
std::string escape_label_value(std::string_view value);
// A sample value: integers without a fraction, +Inf/-Inf/NaN spelled as Prometheus wants.
std::string format_value(double value);

void render_counter(const CounterFamily& family, std::string& out);
void render_gauge(const GaugeFamily& family, std::string& out);
void render_histogram(const HistogramFamily& family, std::string& out);

}  // namespace coregate::metrics
