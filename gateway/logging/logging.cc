#include "gateway/logging/logging.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <map>
#include <mutex>

#include "gateway/logging/log_sink.h"

namespace coregate::logging {
namespace {

struct State {
  std::mutex mutex;
  std::shared_ptr<RedactingSink> sink = std::make_shared<RedactingSink>(!isatty(STDERR_FILENO));
  spdlog::level::level_enum level = spdlog::level::info;
  std::shared_ptr<spdlog::logger> gateway;
  std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> adapters;
};

State& state() {
  static State s;
  return s;
}

std::shared_ptr<spdlog::logger> make(const std::string& name, State& s) {
  auto l = std::make_shared<spdlog::logger>(name, s.sink);
  l->set_level(s.level);
  l->flush_on(spdlog::level::warn);
  return l;
}

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  if (text == "auto") return Format::kAuto;
  if (text == "text") return Format::kText;
  if (text == "json") return Format::kJson;
  return std::nullopt;
}

LogOptions options_from_config(const config::ConfigNode& root) {
  LogOptions options;
  auto section = root.child_if("log");
  if (!section) return options;
  section->allow_only({"level", "format"});
  std::string level = section->string_or("level", "info");
  options.level = spdlog::level::from_str(level);
  if (options.level == spdlog::level::off && level != "off") {
    section->fail("level", "expected trace, debug, info, warn, error or off, got '" + level + "'");
  }
  std::string format = section->string_or("format", "auto");
  auto parsed = parse_format(format);
  if (!parsed) section->fail("format", "expected auto, text or json, got '" + format + "'");
  options.format = *parsed;
  return options;
}

void configure(const LogOptions& options) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  bool json = options.format == Format::kJson ||
              (options.format == Format::kAuto && !isatty(STDERR_FILENO));
  s.sink = std::make_shared<RedactingSink>(json);
  s.level = options.level;
  // Existing loggers keep working with the new sink and level.
  if (s.gateway) {
    s.gateway->sinks() = {s.sink};
    s.gateway->set_level(s.level);
  }
  for (auto& [name, l] : s.adapters) {
    l->sinks() = {s.sink};
    l->set_level(s.level);
  }
}

std::shared_ptr<spdlog::logger> logger() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.gateway) s.gateway = make("coregate", s);
  return s.gateway;
}

std::shared_ptr<spdlog::logger> adapter_logger(std::string_view instance) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  auto it = s.adapters.find(instance);
  if (it != s.adapters.end()) return it->second;
  auto l = make("adapter." + std::string(instance), s);
  s.adapters.emplace(std::string(instance), l);
  return l;
}

}  // namespace coregate::logging
