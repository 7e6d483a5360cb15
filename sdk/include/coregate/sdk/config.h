// Typed access to an adapter's config block. The gateway has already validated the block against
// the schema the plugin declared, so these accessors mostly guard against a schema that is looser
// than the code; a mismatch throws ConfigError, which the SDK barrier turns into a create failure
// naming the key. Only used at create time (exceptions are for configuration, not the data path).
//
// Nested blocks: section("faults") returns a view of a nested object whose errors name the full
// path ("faults.rules[2].fault"), so an operator can find the line without guessing.
// Thread-safety: an AdapterConfig is an immutable value; const methods may run concurrently.
#pragma once

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "coregate/sdk/host.h"

namespace coregate::sdk {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class AdapterConfig {
 public:
  // path: where `values` sits inside the adapter's block ("" for the block itself); used only to
  // name keys in errors.
  AdapterConfig(std::string instance_name, boost::json::object values, Host host,
                std::string path = {})
      : name_(std::move(instance_name)),
        values_(std::move(values)),
        host_(host),
        path_(std::move(path)) {}

  const std::string& instance_name() const { return name_; }
  const boost::json::object& values() const { return values_; }
  // "" at the top of the block, "faults" or "faults.rules[0]" for a section.
  const std::string& path() const { return path_; }
  bool has(std::string_view key) const { return values_.contains(key); }

  std::string string(std::string_view key) const {
    return std::string(require(key, "a string").as_string());
  }
  std::string string_or(std::string_view key, std::string_view fallback) const {
    return has(key) ? string(key) : std::string(fallback);
  }

  // Accepts JSON integers and integral doubles (5.0), as JSON Schema's "integer" does; never
  // truncates 2.5.
  int64_t integer(std::string_view key) const {
    const auto& v = require(key, "an integer");
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= INT64_MAX) return static_cast<int64_t>(v.as_uint64());
    if (v.is_double()) {
      double d = v.as_double();
      if (std::trunc(d) == d && std::fabs(d) < 9.0e15) return static_cast<int64_t>(d);
    }
    throw error(key, "an integer");
  }
  int64_t integer_or(std::string_view key, int64_t fallback) const {
    return has(key) ? integer(key) : fallback;
  }
  // An integer within [min, max]; the error states the range.
  int64_t integer_in(std::string_view key, int64_t min, int64_t max) const {
    int64_t v = integer(key);
    if (v < min || v > max) {
      throw error(key, "an integer from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return v;
  }
  int64_t integer_in_or(std::string_view key, int64_t min, int64_t max, int64_t fallback) const {
    return has(key) ? integer_in(key, min, max) : fallback;
  }

  double number(std::string_view key) const {
    const auto& v = require(key, "a number");
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    return static_cast<double>(v.as_uint64());
  }
  double number_or(std::string_view key, double fallback) const {
    return has(key) ? number(key) : fallback;
  }

  bool boolean(std::string_view key) const { return require(key, "true or false").as_bool(); }
  bool boolean_or(std::string_view key, bool fallback) const {
    return has(key) ? boolean(key) : fallback;
  }

  const boost::json::object& object(std::string_view key) const {
    return require(key, "an object").as_object();
  }
  const boost::json::array& array(std::string_view key) const {
    return require(key, "an array").as_array();
  }
  // An array whose every element is a string.
  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    for (const auto& item : require(key, "an array of strings").as_array()) {
      if (!item.is_string()) throw error(key, "an array of strings");
      out.emplace_back(item.as_string());
    }
    return out;
  }

  // A nested object as its own AdapterConfig whose errors name "<path>.<key>.<inner>".
  AdapterConfig section(std::string_view key) const {
    return AdapterConfig(name_, object(key), host_, qualified(key));
  }
  // An array of objects, each as a section named "<path>.<key>[i]".
  std::vector<AdapterConfig> sections(std::string_view key) const {
    std::vector<AdapterConfig> out;
    const auto& items = require(key, "an array of objects").as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      std::string item_path = qualified(key) + "[" + std::to_string(i) + "]";
      if (!items[i].is_object()) {
        throw ConfigError(prefix() + "config key '" + item_path + "' must be an object");
      }
      out.emplace_back(name_, items[i].as_object(), host_, item_path);
    }
    return out;
  }

  // Refuses keys this code does not know, with a "did you mean" hint. The gateway's schema check
  // already does this for the adapter block; call it for text the gateway never validated (a
  // control file, an inbound request).
  void expect_only(std::initializer_list<std::string_view> known) const {
    for (const auto& entry : values_) {
      std::string_view key = entry.key();
      bool found = false;
      for (auto k : known) found = found || k == key;
      if (found) continue;
      std::string message = prefix() + "unknown config key '" + qualified(key) + "'";
      // Suggest near misses: a small edit distance, or a key that is a prefix of a known one
      // ("latency" for "latency_ms") or the other way round.
      std::string_view best;
      size_t best_distance = SIZE_MAX;
      for (auto k : known) {
        size_t d = edit_distance(key, k);
        bool prefix =
            !key.empty() && (k.substr(0, key.size()) == key || key.substr(0, k.size()) == k);
        if ((d <= 2 || prefix) && d < best_distance) best_distance = d, best = k;
      }
      if (!best.empty()) message += " (did you mean '" + std::string(best) + "'?)";
      throw ConfigError(message);
    }
  }

  // A string that may be a secret reference ("${env:NAME}", "${file:/path}") or a literal. The
  // gateway already resolves references in the config block at load (see cg_on_create), so this
  // usually returns the value as given; a reference that still reaches the adapter is resolved
  // through the host, which redacts the value from logs. Use it for every secret-bearing key so
  // either host behaviour works.
  std::string secret(std::string_view key) const {
    std::string raw = string(key);
    if (raw.rfind("${", 0) != 0) return raw;
    Fetched f = host_.secret(raw);
    if (!f.ok) throw ConfigError(prefix() + "config key '" + qualified(key) + "': " + f.error);
    return f.value;
  }

  // The error to throw when a value has the right type but a wrong meaning, e.g.
  // `throw config.error("rate", "a number from 0 to 1")`. Names the instance and the key path.
  ConfigError error(std::string_view key, std::string_view expected) const {
    return ConfigError(prefix() + "config key '" + qualified(key) + "' must be " +
                       std::string(expected));
  }

 private:
  const boost::json::value& require(std::string_view key, std::string_view expected) const {
    auto it = values_.find(key);
    if (it == values_.end()) {
      throw ConfigError(prefix() + "missing config key '" + qualified(key) + "' (expected " +
                        std::string(expected) + ")");
    }
    const boost::json::value& v = it->value();
    bool ok = false;
    if (expected == "a string")
      ok = v.is_string();
    else if (expected == "an integer" || expected == "a number")
      ok = v.is_number();
    else if (expected == "true or false")
      ok = v.is_bool();
    else if (expected == "an object")
      ok = v.is_object();
    else
      ok = v.is_array();  // "an array", "an array of strings", "an array of objects"
    if (!ok) throw error(key, expected);
    return v;
  }
  std::string prefix() const { return "adapter '" + name_ + "': "; }
  std::string qualified(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  static size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      size_t diagonal = row[0];
      row[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
        diagonal = above;
      }
    }
    return row[b.size()];
  }

  std::string name_;
  boost::json::object values_;
  Host host_;
  std::string path_;
};

}  // namespace coregate::sdk
