#include "gateway/config/config_node.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <vector>

#include "gateway/config/did_you_mean.h"

namespace coregate::config {
namespace {

bool is_empty_text(const boost::json::value& v) {
  return v.is_string() && v.as_string().empty();
}

// Shows a bad value in an error, shortened so a pasted blob does not flood the terminal.
std::string shown(const boost::json::value& v) {
  std::string text = v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return "'" + text + "'";
}

std::optional<int64_t> to_integer(const boost::json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() &&
      v.as_uint64() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(v.as_uint64());
  }
  if (v.is_string()) {
    std::string_view s = v.as_string();
    int64_t out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return out;
  }
  return std::nullopt;
}

// "250ms" -> {250, "ms"}; nullopt without leading digits or when the number overflows.
std::optional<std::pair<uint64_t, std::string_view>> split_number_and_unit(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, n);
  if (ec != std::errc()) return std::nullopt;
  return std::make_pair(n, text.substr(digits));
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto parts = split_number_and_unit(text);
  if (!parts) return std::nullopt;
  auto [n, unit] = *parts;
  uint64_t factor = 0;
  if (unit.empty() || unit == "ms")
    factor = 1;
  else if (unit == "s")
    factor = 1000;
  else if (unit == "m")
    factor = 60'000;
  else if (unit == "h")
    factor = 3'600'000;
  else if (unit == "d")
    factor = 86'400'000;
  else
    return std::nullopt;
  if (n > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / factor) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(n * factor));
}

std::optional<uint64_t> parse_size(std::string_view text) {
  auto parts = split_number_and_unit(text);
  if (!parts) return std::nullopt;
  auto [n, unit] = *parts;
  uint64_t factor = 0;
  if (unit.empty() || unit == "B")
    factor = 1;
  else if (unit == "KiB")
    factor = 1ull << 10;
  else if (unit == "MiB")
    factor = 1ull << 20;
  else if (unit == "GiB")
    factor = 1ull << 30;
  else if (unit == "KB")
    factor = 1000;
  else if (unit == "MB")
    factor = 1000'000;
  else if (unit == "GB")
    factor = 1000'000'000;
  else
    return std::nullopt;
  if (n > std::numeric_limits<uint64_t>::max() / factor) return std::nullopt;
  return n * factor;
}

ConfigNode::ConfigNode(std::shared_ptr<const boost::json::value> document, std::string file)
    : document_(std::move(document)),
      file_(std::make_shared<const std::string>(std::move(file))),
      value_(document_.get()) {}

ConfigNode::ConfigNode(std::shared_ptr<const boost::json::value> document,
                       std::shared_ptr<const std::string> file, const boost::json::value* value,
                       std::string path)
    : document_(std::move(document)),
      file_(std::move(file)),
      value_(value),
      path_(std::move(path)) {}

ConfigNode ConfigNode::at(const boost::json::value& value, std::string path) const {
  return ConfigNode(document_, file_, &value, std::move(path));
}

std::string ConfigNode::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

const boost::json::value* ConfigNode::find(std::string_view key) const {
  if (!value_->is_object()) return nullptr;
  return value_->as_object().if_contains(key);
}

bool ConfigNode::has(std::string_view key) const {
  return find(key) != nullptr;
}

void ConfigNode::fail(std::string_view key, std::string_view message) const {
  throw ConfigError(*file_, key.empty() ? path_ : key_path(key), std::string(message));
}

const boost::json::value& ConfigNode::require(std::string_view key,
                                              std::string_view expected) const {
  const boost::json::value* v = find(key);
  if (v == nullptr) fail(key, "missing (expected " + std::string(expected) + ")");
  return *v;
}

std::string ConfigNode::string(std::string_view key) const {
  const boost::json::value& v = require(key, "a string");
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_number() || v.is_bool()) return boost::json::serialize(v);
  fail(key, "expected a string, got " + shown(v));
}

std::string ConfigNode::string_or(std::string_view key, std::string_view fallback) const {
  return has(key) ? string(key) : std::string(fallback);
}

int64_t ConfigNode::integer(std::string_view key, int64_t min, int64_t max) const {
  const boost::json::value& v = require(key, "an integer");
  std::optional<int64_t> n = to_integer(v);
  auto range = [&] {
    return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  };
  bool bounded =
      min != std::numeric_limits<int64_t>::min() || max != std::numeric_limits<int64_t>::max();
  if (!n)
    fail(key, "expected " + (bounded ? range() : std::string("an integer")) + ", got " + shown(v));
  if (*n < min || *n > max) fail(key, "expected " + range() + ", got " + std::to_string(*n));
  return *n;
}

int64_t ConfigNode::integer_or(std::string_view key, int64_t fallback, int64_t min,
                               int64_t max) const {
  return has(key) ? integer(key, min, max) : fallback;
}

double ConfigNode::number_or(std::string_view key, double fallback) const {
  const boost::json::value* v = find(key);
  if (v == nullptr) return fallback;
  if (v->is_double()) return v->as_double();
  if (auto n = to_integer(*v)) return static_cast<double>(*n);
  if (v->is_string()) {
    std::string_view s = v->as_string();
    double out = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return out;
  }
  fail(key, "expected a number, got " + shown(*v));
}

bool ConfigNode::boolean_or(std::string_view key, bool fallback) const {
  const boost::json::value* v = find(key);
  if (v == nullptr) return fallback;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string()) {
    if (v->as_string() == "true") return true;
    if (v->as_string() == "false") return false;
  }
  fail(key, "expected true or false, got " + shown(*v));
}

std::chrono::milliseconds ConfigNode::duration(std::string_view key) const {
  const boost::json::value& v = require(key, "a duration such as 250ms, 5s, 2m, 1h or 7d");
  if (auto n = to_integer(v); n && *n >= 0) return std::chrono::milliseconds(*n);
  if (v.is_string()) {
    if (auto d = parse_duration(v.as_string())) return *d;
  }
  fail(key, "expected a duration such as 250ms, 5s, 2m, 1h or 7d, got " + shown(v));
}

std::chrono::milliseconds ConfigNode::duration_or(std::string_view key,
                                                  std::chrono::milliseconds fallback) const {
  return has(key) ? duration(key) : fallback;
}

uint64_t ConfigNode::size_or(std::string_view key, uint64_t fallback) const {
  const boost::json::value* v = find(key);
  if (v == nullptr) return fallback;
  if (auto n = to_integer(*v); n && *n >= 0) return static_cast<uint64_t>(*n);
  if (v->is_string()) {
    if (auto s = parse_size(v->as_string())) return *s;
  }
  fail(key, "expected a size such as 4096, 64KiB or 1MiB, got " + shown(*v));
}

std::filesystem::path ConfigNode::resolve_path(std::string_view text) const {
  std::filesystem::path p{std::string(text)};
  if (p.is_absolute() || file_->empty() || file_->front() == '<') return p;
  return (std::filesystem::path(*file_).parent_path() / p).lexically_normal();
}

std::filesystem::path ConfigNode::file_path(std::string_view key) const {
  std::string text = string(key);
  if (text.empty()) fail(key, "expected a path, got an empty string");
  return resolve_path(text);
}

std::filesystem::path ConfigNode::file_path_or(std::string_view key,
                                               std::string_view fallback) const {
  return has(key) ? file_path(key) : resolve_path(fallback);
}

std::vector<std::string> ConfigNode::strings_or(std::string_view key,
                                                std::vector<std::string> fallback) const {
  const boost::json::value* v = find(key);
  if (v == nullptr) return fallback;
  if (is_empty_text(*v)) return {};  // PropertyTree's reading of []
  if (v->is_string()) return {std::string(v->as_string())};
  if (!v->is_array()) fail(key, "expected a list of strings, got " + shown(*v));
  std::vector<std::string> out;
  size_t index = 0;
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) {
      fail(std::string(key) + "[" + std::to_string(index) + "]",
           "expected a string, got " + shown(item));
    }
    out.emplace_back(item.as_string());
    ++index;
  }
  return out;
}

ConfigNode ConfigNode::child(std::string_view key) const {
  const boost::json::value& v = require(key, "an object");
  if (!v.is_object() && !is_empty_text(v)) fail(key, "expected an object, got " + shown(v));
  return at(v, key_path(key));
}

std::optional<ConfigNode> ConfigNode::child_if(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return child(key);
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::members() const {
  std::vector<std::pair<std::string, ConfigNode>> out;
  if (is_empty_text(*value_)) return out;
  if (!value_->is_object()) fail("", "expected an object, got " + shown(*value_));
  for (const auto& kv : value_->as_object()) {
    out.emplace_back(std::string(kv.key()), at(kv.value(), key_path(kv.key())));
  }
  return out;
}

std::vector<ConfigNode> ConfigNode::items(std::string_view key) const {
  const boost::json::value* v = find(key);
  std::vector<ConfigNode> out;
  if (v == nullptr || is_empty_text(*v)) return out;
  if (v->is_object()) {
    out.push_back(at(*v, key_path(key)));
    return out;
  }
  if (!v->is_array()) fail(key, "expected a list of objects, got " + shown(*v));
  size_t index = 0;
  for (const auto& item : v->as_array()) {
    std::string item_path = key_path(key) + "[" + std::to_string(index++) + "]";
    if (!item.is_object()) {
      throw ConfigError(*file_, item_path, "expected an object, got " + shown(item));
    }
    out.push_back(at(item, item_path));
  }
  return out;
}

void ConfigNode::allow_only(std::initializer_list<std::string_view> keys) const {
  if (!value_->is_object()) return;
  std::vector<std::string_view> known(keys);
  for (const auto& kv : value_->as_object()) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
      throw ConfigError(*file_, key_path(kv.key()), unknown_key_message(kv.key(), known));
    }
  }
}

}  // namespace coregate::config
