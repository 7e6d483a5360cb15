// Timestamps as the API shows them: RFC 3339 in UTC with milliseconds ("2026-11-22T18:43:15.042Z").
#pragma once

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace coregate::http {

inline std::string rfc3339_ms(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  const size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &tm);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return std::string(buffer, n) + millis;
}

}  // namespace coregate::http
