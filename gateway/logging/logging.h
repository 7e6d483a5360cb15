// The gateway's logs (spdlog): readable text on a terminal, JSON lines otherwise or by choice.
// Every line passes the SecretRedactor first. Adapter logs carry the adapter instance.
//
// configure() is called once at start-up (not thread-safe against itself); loggers are safe to use
// from any thread afterwards.
#pragma once

#include <spdlog/logger.h>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/config/config_node.h"

namespace coregate::logging {

enum class Format { kAuto, kText, kJson };

struct LogOptions {
  Format format = Format::kAuto;  // auto: text when stderr is a terminal, JSON lines otherwise
  spdlog::level::level_enum level = spdlog::level::info;
};

// Reads the optional "log" section: {"level": "debug|info|warn|error", "format": "auto|text|json"}.
LogOptions options_from_config(const config::ConfigNode& root);

// "text", "json" or "auto"; nullopt for anything else.
std::optional<Format> parse_format(std::string_view text);

// Installs the sink and level. May be called again (e.g. after the config is read).
void configure(const LogOptions& options);

// The gateway's own logger.
std::shared_ptr<spdlog::logger> logger();

// A logger whose lines carry "adapter": instance. Created on first use, shared afterwards.
std::shared_ptr<spdlog::logger> adapter_logger(std::string_view instance);

}  // namespace coregate::logging
