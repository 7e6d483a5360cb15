#include "gateway/metrics/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace coregate::metrics {
namespace {

bool name_char(char c, bool first, bool allow_colon) {
  bool alpha =
      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
  return first ? alpha : alpha || (c >= '0' && c <= '9');
}

std::string escape_help(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void header(const std::string& name, const std::string& help, const char* type, std::string& out) {
  out += "# HELP " + name + " " + escape_help(help) + "\n";
  out += "# TYPE " + name + " " + type + "\n";
}

// {a="x",b="y"} plus an optional extra label (le for histograms).
std::string label_text(const std::vector<std::string>& names, const LabelValues& values,
                       const char* extra_name = nullptr, const std::string& extra_value = {}) {
  if (names.empty() && extra_name == nullptr) return {};
  std::string out = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ",";
    out += names[i] + "=\"" + escape_label_value(values[i]) + "\"";
  }
  if (extra_name != nullptr) {
    if (!names.empty()) out += ",";
    out += std::string(extra_name) + "=\"" + extra_value + "\"";
  }
  return out + "}";
}

}  // namespace

bool is_valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, true)) return false;
  }
  return true;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty() || name.rfind("__", 0) == 0) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, false)) return false;
  }
  return true;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  // Shortest text that reads back as the same double: 0.1, not 0.10000000000000001.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? end : buf);
}

void render_counter(const CounterFamily& f, std::string& out) {
  header(f.name(), f.help(), "counter", out);
  for (const auto& [labels, c] : f.series()) {
    out += f.name() + label_text(f.label_names(), labels) + " " + format_value(c->value()) + "\n";
  }
}

void render_gauge(const GaugeFamily& f, std::string& out) {
  header(f.name(), f.help(), "gauge", out);
  for (const auto& [labels, g] : f.series()) {
    out += f.name() + label_text(f.label_names(), labels) + " " + format_value(g->value()) + "\n";
  }
}

void render_histogram(const HistogramFamily& f, std::string& out) {
  header(f.name(), f.help(), "histogram", out);
  for (const auto& [labels, h] : f.series()) {
    Histogram::Snapshot s = h->snapshot();
    for (size_t i = 0; i < f.bounds().size(); ++i) {
      out += f.name() + "_bucket" +
             label_text(f.label_names(), labels, "le", format_value(f.bounds()[i])) + " " +
             std::to_string(s.cumulative[i]) + "\n";
    }
    out += f.name() + "_bucket" + label_text(f.label_names(), labels, "le", "+Inf") + " " +
           std::to_string(s.count) + "\n";
    out +=
        f.name() + "_sum" + label_text(f.label_names(), labels) + " " + format_value(s.sum) + "\n";
    out += f.name() + "_count" + label_text(f.label_names(), labels) + " " +
           std::to_string(s.count) + "\n";
  }
}

}  // namespace coregate::metrics
