// Typed, path-aware access to a loaded configuration. Every error names the file, the key path
// and what was expected, e.g. "gateway.json: adapters.core.concurrency: expected an integer from
// 1 to 1024, got 'eight'".
//
// Values may be typed JSON (a .json file) or text (PropertyTree leaves from XML/INFO, and JSON
// read through PropertyTree): accessors accept "8" where an integer is wanted and "true" where a
// boolean is. A single value is accepted where a list is wanted, because XML and INFO cannot tell
// a one-element list from a value.
//
// Cheap to copy; a node keeps its document alive. Read-only, so safe to share across threads.
// Accessors throw ConfigError: configuration is start-up time, never the data path.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/config/config_error.h"

namespace coregate::config {

class ConfigNode {
 public:
  // A root node over `value`, attributed to `file` in errors.
  ConfigNode(std::shared_ptr<const boost::json::value> document, std::string file);

  const std::string& file() const { return *file_; }
  // Dotted path of this node from the root ("" for the root, "adapters.core").
  const std::string& path() const { return path_; }
  const boost::json::value& json() const { return *value_; }

  bool has(std::string_view key) const;

  std::string string(std::string_view key) const;
  std::string string_or(std::string_view key, std::string_view fallback) const;

  int64_t integer(std::string_view key, int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) const;
  int64_t integer_or(std::string_view key, int64_t fallback,
                     int64_t min = std::numeric_limits<int64_t>::min(),
                     int64_t max = std::numeric_limits<int64_t>::max()) const;
  double number_or(std::string_view key, double fallback) const;
  bool boolean_or(std::string_view key, bool fallback) const;

  // "250ms", "5s", "2m", "1h", "7d", or a bare integer meaning milliseconds.
  std::chrono::milliseconds duration(std::string_view key) const;
  std::chrono::milliseconds duration_or(std::string_view key,
                                        std::chrono::milliseconds fallback) const;

  // 512, "512B", "64KiB", "1MiB", "2GiB" (also KB/MB/GB as powers of 1000).
  uint64_t size_or(std::string_view key, uint64_t fallback) const;

  // A filesystem path; a relative one is resolved against the config file's folder, so a config
  // means the same thing whatever directory the gateway was started from.
  std::filesystem::path file_path(std::string_view key) const;
  std::filesystem::path file_path_or(std::string_view key, std::string_view fallback) const;
  std::filesystem::path resolve_path(std::string_view text) const;

  // A list of strings, or one string taken as a one-element list.
  std::vector<std::string> strings_or(std::string_view key,
                                      std::vector<std::string> fallback) const;

  // A required object member.
  ConfigNode child(std::string_view key) const;
  std::optional<ConfigNode> child_if(std::string_view key) const;

  // This node's members, in file order. This node must be an object (an empty value counts as an
  // empty object).
  std::vector<std::pair<std::string, ConfigNode>> members() const;

  // The objects in the list at `key` (one object is a one-element list; absent is empty).
  std::vector<ConfigNode> items(std::string_view key) const;

  // Throws for the first key of this object that is not in `keys`, with a "did you mean" hint.
  void allow_only(std::initializer_list<std::string_view> keys) const;

  // Throws ConfigError for `key` under this node.
  [[noreturn]] void fail(std::string_view key, std::string_view message) const;

 private:
  ConfigNode(std::shared_ptr<const boost::json::value> document,
             std::shared_ptr<const std::string> file, const boost::json::value* value,
             std::string path);

  const boost::json::value* find(std::string_view key) const;
  const boost::json::value& require(std::string_view key, std::string_view expected) const;
  std::string key_path(std::string_view key) const;
  ConfigNode at(const boost::json::value& value, std::string path) const;

  std::shared_ptr<const boost::json::value> document_;
  std::shared_ptr<const std::string> file_;
  const boost::json::value* value_;
  std::string path_;
};

// Parses a duration text ("250ms", "5s", "7d", "1500"); nullopt when it is not one.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// Parses a size text ("64KiB", "1MB", "4096"); nullopt when it is not one.
std::optional<uint64_t> parse_size(std::string_view text);

}  // namespace coregate::config
