#include "gateway/logging/log_sink.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "gateway/secrets/secret_redactor.h"

namespace coregate::logging {
namespace {

std::string iso_utc(spdlog::log_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

constexpr std::string_view kAdapterPrefix = "adapter.";

}  // namespace

void RedactingSink::sink_it_(const spdlog::details::log_msg& msg) {
  std::string text = secrets::SecretRedactor::global().redact(
      std::string_view(msg.payload.data(), msg.payload.size()));
  std::string_view name(msg.logger_name.data(), msg.logger_name.size());
  auto level_view = spdlog::level::to_string_view(msg.level);
  std::string_view level(level_view.data(), level_view.size());
  std::string line;
  if (json_) {
    boost::json::object o;
    o["ts"] = iso_utc(msg.time);
    o["level"] = level;
    if (name.rfind(kAdapterPrefix, 0) == 0) {
      o["adapter"] = name.substr(kAdapterPrefix.size());
    } else {
      o["logger"] = name;
    }
    o["msg"] = text;
    line = boost::json::serialize(o);
  } else {
    line = iso_utc(msg.time) + " " + std::string(level);
    line.append(line.size() < 30 ? 30 - line.size() : 1, ' ');
    if (name.rfind(kAdapterPrefix, 0) == 0) {
      line += "[" + std::string(name.substr(kAdapterPrefix.size())) + "] ";
    }
    line += text;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void RedactingSink::flush_() {
  std::fflush(stderr);
}

}  // namespace coregate::logging
