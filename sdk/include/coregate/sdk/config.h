// Typed access to an adapter's config block. The gateway has already validated the block against
// the schema the plugin declared, so these accessors mostly guard against a schema that is looser
// than the code; a mismatch throws ConfigError, which the SDK barrier turns into a create failure
// naming the key. Only used at create time (exceptions are for configuration, not the data path).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "coregate/sdk/host.h"

namespace coregate::sdk {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AdapterConfig {
 public:
  AdapterConfig(std::string instance_name, boost::json::object values, Host host)
      : name_(std::move(instance_name)), values_(std::move(values)), host_(host) {}

  const std::string& instance_name() const { return name_; }
  const boost::json::object& values() const { return values_; }
  bool has(std::string_view key) const { return values_.contains(key); }

  std::string string(std::string_view key) const { return std::string(require(key, "a string").as_string()); }
  std::string string_or(std::string_view key, std::string_view fallback) const {
    return has(key) ? string(key) : std::string(fallback);
  }
  int64_t integer(std::string_view key) const {
    const auto& v = require(key, "an integer");
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= INT64_MAX) return static_cast<int64_t>(v.as_uint64());
    throw error(key, "an integer");
  }
  int64_t integer_or(std::string_view key, int64_t fallback) const {
    return has(key) ? integer(key) : fallback;
  }
  double number_or(std::string_view key, double fallback) const {
    if (!has(key)) return fallback;
    const auto& v = values_.at(key);
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    throw error(key, "a number");
  }
  bool boolean_or(std::string_view key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!values_.at(key).is_bool()) throw error(key, "true or false");
    return values_.at(key).as_bool();
  }
  const boost::json::object& object(std::string_view key) const {
    if (!has(key) || !values_.at(key).is_object()) throw error(key, "an object");
    return values_.at(key).as_object();
  }

  // A string that may be a secret reference ("${env:NAME}", "${file:/path}") or a literal.
  // References are resolved through the host, which redacts the value from logs.
  std::string secret(std::string_view key) const {
    std::string raw = string(key);
    if (raw.rfind("${", 0) != 0) return raw;
    Fetched f = host_.secret(raw);
    if (!f.ok) throw ConfigError("config key '" + std::string(key) + "': " + f.error);
    return f.value;
  }

 private:
  const boost::json::value& require(std::string_view key, std::string_view expected) const {
    auto it = values_.find(key);
    if (it == values_.end()) {
      throw ConfigError("adapter '" + name_ + "': missing config key '" + std::string(key) +
                        "' (expected " + std::string(expected) + ")");
    }
    bool ok = expected == "a string" ? it->value().is_string() : it->value().is_number();
    if (!ok) throw error(key, expected);
    // An integer accessor must not silently truncate 2.5.
    if (expected == "an integer" && it->value().is_double()) throw error(key, expected);
    return it->value();
  }
  ConfigError error(std::string_view key, std::string_view expected) const {
    return ConfigError("adapter '" + name_ + "': config key '" + std::string(key) +
                       "' must be " + std::string(expected));
  }

  std::string name_;
  boost::json::object values_;
  Host host_;
};

}  // namespace coregate::sdk
