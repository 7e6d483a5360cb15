#include "gateway/config/schema_coercion.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace coregate::config {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

struct Coercer {
  const value& root;

  // Resolves "#/$defs/name"-style local references; anything else is not followed.
  const value* resolve(const value& schema, int depth) const {
    const value* s = &schema;
    while (depth-- > 0 && s->is_object()) {
      const value* ref = s->as_object().if_contains("$ref");
      if (ref == nullptr || !ref->is_string()) return s;
      std::string_view r = ref->as_string();
      if (r.rfind("#", 0) != 0) return s;
      boost::system::error_code ec;
      const value* target = root.find_pointer(r.substr(1), ec);
      if (target == nullptr) return s;
      s = target;
    }
    return s;
  }

  std::vector<std::string> types(const value& schema) const {
    std::vector<std::string> out;
    if (!schema.is_object()) return out;
    const value* t = schema.as_object().if_contains("type");
    if (t == nullptr) return out;
    if (t->is_string()) out.emplace_back(t->as_string());
    if (t->is_array()) {
      for (const auto& x : t->as_array()) {
        if (x.is_string()) out.emplace_back(x.as_string());
      }
    }
    return out;
  }

  static std::optional<value> from_text(std::string_view text, const std::string& type) {
    if (type == "integer") {
      int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return value(n);
    } else if (type == "number") {
      double d = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) {
        int64_t n = 0;
        auto [iend, iec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (iec == std::errc() && iend == text.data() + text.size()) return value(n);
        return value(d);
      }
    } else if (type == "boolean") {
      if (text == "true") return value(true);
      if (text == "false") return value(false);
    } else if (type == "null") {
      if (text == "null" || text.empty()) return value(nullptr);
    } else if (type == "object") {
      if (text.empty()) return value(object());  // PropertyTree's reading of {}
    } else if (type == "array") {
      if (text.empty()) return value(array());  // PropertyTree's reading of []
    }
    return std::nullopt;
  }

  value coerce(const value& v, const value& raw_schema, int depth) const {
    if (depth > 64) return v;
    const value& schema = *resolve(raw_schema, 16);
    if (!schema.is_object()) return v;
    const object& s = schema.as_object();

    if (v.is_string()) {
      std::vector<std::string> ts = types(schema);
      bool string_allowed = ts.empty();
      for (const auto& t : ts) string_allowed |= t == "string";
      if (!string_allowed) {
        for (const auto& t : ts) {
          if (auto converted = from_text(v.as_string(), t))
            return coerce(*converted, schema, depth + 1);
        }
      }
      return v;
    }

    value out = v;
    if (out.is_object()) {
      object& o = out.as_object();
      const value* props = s.if_contains("properties");
      const value* additional = s.if_contains("additionalProperties");
      for (auto& kv : o) {
        const value* sub = nullptr;
        if (props && props->is_object()) sub = props->as_object().if_contains(kv.key());
        if (sub == nullptr && additional && additional->is_object()) sub = additional;
        if (sub != nullptr) kv.value() = coerce(kv.value(), *sub, depth + 1);
      }
    } else if (out.is_array()) {
      array& a = out.as_array();
      const value* prefix = s.if_contains("prefixItems");
      const value* items = s.if_contains("items");
      for (size_t i = 0; i < a.size(); ++i) {
        const value* sub = nullptr;
        if (prefix && prefix->is_array() && i < prefix->as_array().size())
          sub = &prefix->as_array()[i];
        else if (items && items->is_object())
          sub = items;
        if (sub != nullptr) a[i] = coerce(a[i], *sub, depth + 1);
      }
    }
    for (const char* combinator : {"allOf", "anyOf", "oneOf"}) {
      const value* branches = s.if_contains(combinator);
      if (branches == nullptr || !branches->is_array()) continue;
      for (const auto& branch : branches->as_array()) out = coerce(out, branch, depth + 1);
    }
    return out;
  }
};

}  // namespace

value coerce_to_schema(const value& v, const value& schema) {
  Coercer c{schema};
  return c.coerce(v, schema, 0);
}

}  // namespace coregate::config
