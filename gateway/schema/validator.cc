// Walks an instance against the compiled Node graph. The valid path allocates nothing: the
// instance location is a chain of stack frames turned into a JSON pointer only when an error is
// recorded, and messages are built only when the caller asked for errors.
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "gateway/schema/decimal_number.h"
#include "gateway/schema/json_equal.h"
#include "gateway/schema/json_pointer.h"
#include "gateway/schema/node.h"
#include "gateway/schema/schema_registry.h"

namespace coregate::schema {

namespace detail {

const NamedNode* Node::find_property(std::string_view name) const {
  if (properties.size() <= 8) {
    for (const auto& p : properties) {
      // Length and first byte reject almost every non-match without a memcmp call.
      if (p.name.size() == name.size() && (name.empty() || p.name[0] == name[0]) &&
          p.name == name) {
        return &p;
      }
    }
    return nullptr;
  }
  auto it = std::lower_bound(properties.begin(), properties.end(), name,
                             [](const NamedNode& p, std::string_view n) { return p.name < n; });
  return it != properties.end() && it->name == name ? &*it : nullptr;
}

namespace {

// One step of the instance location: an object member name or an array index.
struct PathFrame {
  const PathFrame* parent;
  std::string_view key;
  std::size_t index;
  bool is_index;
};

std::string pointer_of(const PathFrame* frame) {
  std::vector<const PathFrame*> frames;
  for (; frame != nullptr; frame = frame->parent) frames.push_back(frame);
  std::string pointer;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    if ((*it)->is_index) {
      pointer += "/" + std::to_string((*it)->index);
    } else {
      append_pointer_token(pointer, (*it)->key);
    }
  }
  return pointer;
}

constexpr int kMaxDepth = 512;

struct Context {
  std::vector<ValidationError>* errors;  // nullptr: stop at the first failure, say nothing
  int depth = 0;
};

template <typename MakeMessage>
void report(Context& ctx, const PathFrame* path, std::string_view keyword, MakeMessage&& make) {
  if (ctx.errors == nullptr || ctx.errors->size() >= kMaxValidationErrors) return;
  ctx.errors->push_back({pointer_of(path), std::string(keyword), make()});
}

std::uint8_t type_bits(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return kTypeNull;
    case boost::json::kind::bool_:
      return kTypeBoolean;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return kTypeInteger | kTypeNumber;
    case boost::json::kind::double_:
      return is_integral_number(v) ? (kTypeInteger | kTypeNumber) : kTypeNumber;
    case boost::json::kind::string:
      return kTypeString;
    case boost::json::kind::array:
      return kTypeArray;
    case boost::json::kind::object:
      return kTypeObject;
  }
  return 0;
}

std::string type_names(std::uint8_t bits) {
  static constexpr std::pair<std::uint8_t, const char*> kNames[] = {
      {kTypeNull, "null"},     {kTypeBoolean, "boolean"}, {kTypeInteger, "integer"},
      {kTypeNumber, "number"}, {kTypeString, "string"},   {kTypeArray, "array"},
      {kTypeObject, "object"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if (bits & bit) {
      if (!out.empty()) out += " or ";
      out += name;
    }
  }
  return out;
}

std::string_view kind_name(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "integer";
    case boost::json::kind::double_:
      return "number";  // 1500.0 is reported as the number it was written as
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::object:
      return "object";
  }
  return "value";
}

std::uint64_t code_points(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

bool validate_node(const Node& node, const boost::json::value& v, Context& ctx,
                   const PathFrame* path);

// Validates `v` against `node` without collecting errors (anyOf/oneOf/not/if branches).
bool quietly_valid(const Node& node, const boost::json::value& v, Context& ctx,
                   const PathFrame* path) {
  Context quiet{nullptr, ctx.depth};
  return validate_node(node, v, quiet, path);
}

// After an anyOf/oneOf failure, appends the errors of the alternative that came closest (fewest
// errors), so "matches none of 2 alternatives" comes with the reason. Error path only.
void explain_closest_alternative(const std::vector<const Node*>& alternatives,
                                 const boost::json::value& v, Context& ctx, const PathFrame* path) {
  if (ctx.errors == nullptr) return;
  std::vector<ValidationError> best;
  for (const Node* alternative : alternatives) {
    std::vector<ValidationError> attempt;
    Context trial{&attempt, ctx.depth};
    if (validate_node(*alternative, v, trial, path)) return;  // cannot happen; stay consistent
    if (best.empty() || attempt.size() < best.size()) best = std::move(attempt);
  }
  for (auto& e : best) {
    if (ctx.errors->size() >= kMaxValidationErrors) break;
    ctx.errors->push_back(std::move(e));
  }
}

#define COREGATE_FAIL()                      \
  do {                                       \
    ok = false;                              \
    if (ctx.errors == nullptr) return false; \
  } while (0)

bool validate_string(const Node& node, const boost::json::string& s, Context& ctx,
                     const PathFrame* path) {
  bool ok = true;
  std::string_view text(s.data(), s.size());
  if (node.min_length || node.max_length) {
    std::uint64_t length = code_points(text);
    if (node.min_length && length < *node.min_length) {
      report(ctx, path, "minLength", [&] {
        return "string has " + std::to_string(length) + " characters, fewer than minLength " +
               std::to_string(*node.min_length);
      });
      COREGATE_FAIL();
    }
    if (node.max_length && length > *node.max_length) {
      report(ctx, path, "maxLength", [&] {
        return "string has " + std::to_string(length) + " characters, more than maxLength " +
               std::to_string(*node.max_length);
      });
      COREGATE_FAIL();
    }
  }
  if (node.pattern && !node.pattern->search(text)) {
    report(ctx, path, "pattern",
           [&] { return "string does not match pattern " + quote(node.pattern->source()); });
    COREGATE_FAIL();
  }
  if (node.format != Format::kNone && !check_format(node.format, text)) {
    report(ctx, path, "format",
           [&] { return "string is not a valid " + std::string(format_name(node.format)); });
    COREGATE_FAIL();
  }
  return ok;
}

bool validate_number(const Node& node, const boost::json::value& v, Context& ctx,
                     const PathFrame* path) {
  bool ok = true;
  auto text = [](const boost::json::value& x) { return boost::json::serialize(x); };
  if (node.minimum && compare_numbers(v, *node.minimum) < 0) {
    report(ctx, path, "minimum",
           [&] { return text(v) + " is less than the minimum " + text(*node.minimum); });
    COREGATE_FAIL();
  }
  if (node.maximum && compare_numbers(v, *node.maximum) > 0) {
    report(ctx, path, "maximum",
           [&] { return text(v) + " is greater than the maximum " + text(*node.maximum); });
    COREGATE_FAIL();
  }
  if (node.exclusive_minimum && compare_numbers(v, *node.exclusive_minimum) <= 0) {
    report(ctx, path, "exclusiveMinimum", [&] {
      return text(v) + " is not greater than the exclusive minimum " +
             text(*node.exclusive_minimum);
    });
    COREGATE_FAIL();
  }
  if (node.exclusive_maximum && compare_numbers(v, *node.exclusive_maximum) >= 0) {
    report(ctx, path, "exclusiveMaximum", [&] {
      return text(v) + " is not less than the exclusive maximum " + text(*node.exclusive_maximum);
    });
    COREGATE_FAIL();
  }
  if (node.multiple_of && !is_multiple_of(v, *node.multiple_of)) {
    report(ctx, path, "multipleOf",
           [&] { return text(v) + " is not a multiple of " + text(*node.multiple_of); });
    COREGATE_FAIL();
  }
  return ok;
}

bool validate_array(const Node& node, const boost::json::array& a, Context& ctx,
                    const PathFrame* path) {
  bool ok = true;
  if (node.min_items && a.size() < *node.min_items) {
    report(ctx, path, "minItems", [&] {
      return "array has " + std::to_string(a.size()) + " items, fewer than minItems " +
             std::to_string(*node.min_items);
    });
    COREGATE_FAIL();
  }
  if (node.max_items && a.size() > *node.max_items) {
    report(ctx, path, "maxItems", [&] {
      return "array has " + std::to_string(a.size()) + " items, more than maxItems " +
             std::to_string(*node.max_items);
    });
    COREGATE_FAIL();
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Node* item_schema = i < node.prefix_items.size() ? node.prefix_items[i] : node.items;
    if (item_schema == nullptr) {
      if (i >= node.prefix_items.size()) break;
      continue;
    }
    PathFrame frame{path, {}, i, true};
    if (!validate_node(*item_schema, a[i], ctx, &frame)) COREGATE_FAIL();
  }
  return ok;
}

bool validate_members(const Node& node, const boost::json::object& o, Context& ctx,
                      const PathFrame* path, std::uint64_t& required_seen);

bool validate_object(const Node& node, const boost::json::object& o, Context& ctx,
                     const PathFrame* path) {
  bool ok = true;
  if (node.min_properties && o.size() < *node.min_properties) {
    report(ctx, path, "minProperties", [&] {
      return "object has " + std::to_string(o.size()) + " properties, fewer than minProperties " +
             std::to_string(*node.min_properties);
    });
    COREGATE_FAIL();
  }
  if (node.max_properties && o.size() > *node.max_properties) {
    report(ctx, path, "maxProperties", [&] {
      return "object has " + std::to_string(o.size()) + " properties, more than maxProperties " +
             std::to_string(*node.max_properties);
    });
    COREGATE_FAIL();
  }
  for (const auto& dependency : node.dependent_required) {
    if (!o.contains(dependency.name)) continue;
    for (const auto& name : dependency.required) {
      if (!o.contains(name)) {
        report(ctx, path, "dependentRequired", [&] {
          return "property " + quote(name) + " is required when " + quote(dependency.name) +
                 " is present";
        });
        COREGATE_FAIL();
      }
    }
  }
  std::uint64_t required_seen = 0;
  if (!node.properties.empty() || !node.pattern_properties.empty() ||
      node.additional_properties != nullptr) {
    if (!validate_members(node, o, ctx, path, required_seen)) COREGATE_FAIL();
  }
  for (std::size_t i = 0; i < node.required.size(); ++i) {
    int bit = node.required_bits[i];
    bool present = bit >= 0 ? ((required_seen >> bit) & 1) != 0 : o.contains(node.required[i]);
    if (!present) {
      report(ctx, path, "required",
             [&] { return "missing required property " + quote(node.required[i]); });
      COREGATE_FAIL();
    }
  }
  return ok;
}

// properties / patternProperties / additionalProperties over the members; records which
// required-and-declared properties were seen in `required_seen`.
bool validate_members(const Node& node, const boost::json::object& o, Context& ctx,
                      const PathFrame* path, std::uint64_t& required_seen) {
  bool ok = true;
  for (const auto& member : o) {
    std::string_view key = member.key();
    PathFrame frame{path, key, 0, false};
    bool described = false;
    if (const NamedNode* property = node.find_property(key)) {
      described = true;
      if (property->required_bit >= 0) required_seen |= std::uint64_t{1} << property->required_bit;
      if (!validate_node(*property->node, member.value(), ctx, &frame)) COREGATE_FAIL();
    }
    for (const auto& pattern_property : node.pattern_properties) {
      if (!pattern_property.pattern.search(key)) continue;
      described = true;
      if (!validate_node(*pattern_property.node, member.value(), ctx, &frame)) COREGATE_FAIL();
    }
    if (!described && node.additional_properties != nullptr) {
      if (node.additional_properties->always_false) {
        report(ctx, &frame, "additionalProperties",
               [&] { return "property " + quote(key) + " is not allowed"; });
        COREGATE_FAIL();
      } else if (!validate_node(*node.additional_properties, member.value(), ctx, &frame)) {
        COREGATE_FAIL();
      }
    }
  }
  return ok;
}

bool validate_node(const Node& node, const boost::json::value& v, Context& ctx,
                   const PathFrame* path) {
  if (node.always_false) {
    report(ctx, path, "false", [] { return std::string("no value is allowed here"); });
    return false;
  }
  struct DepthGuard {
    explicit DepthGuard(int& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
    int& depth;
  } guard(ctx.depth);
  if (ctx.depth > kMaxDepth) {
    report(ctx, path, "$ref", [] { return std::string("schema nesting too deep"); });
    return false;
  }
  bool ok = true;
  if (node.types != 0 && (type_bits(v) & node.types) == 0) {
    report(ctx, path, "type", [&] {
      return "expected " + type_names(node.types) + ", got " + std::string(kind_name(v));
    });
    COREGATE_FAIL();
  }
  if (node.ref != nullptr && !validate_node(*node.ref, v, ctx, path)) COREGATE_FAIL();
  if (node.has_enum) {
    bool found = std::any_of(node.enum_values.begin(), node.enum_values.end(),
                             [&](const boost::json::value& e) { return json_equal(e, v); });
    if (!found) {
      report(ctx, path, "enum", [&] {
        std::string allowed;
        for (const auto& e : node.enum_values) {
          if (allowed.size() > 200) {
            allowed += ", ...";
            break;
          }
          allowed += (allowed.empty() ? "" : ", ") + boost::json::serialize(e);
        }
        return "value is not one of: " + allowed;
      });
      COREGATE_FAIL();
    }
  }
  if (node.const_value && !json_equal(*node.const_value, v)) {
    report(ctx, path, "const",
           [&] { return "value must be " + boost::json::serialize(*node.const_value); });
    COREGATE_FAIL();
  }
  switch (v.kind()) {
    case boost::json::kind::string:
      if (node.has_string_checks && !validate_string(node, v.get_string(), ctx, path)) {
        COREGATE_FAIL();
      }
      break;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      if (node.has_number_checks && !validate_number(node, v, ctx, path)) COREGATE_FAIL();
      break;
    case boost::json::kind::array:
      if (node.has_array_checks && !validate_array(node, v.get_array(), ctx, path)) {
        COREGATE_FAIL();
      }
      break;
    case boost::json::kind::object:
      if (node.has_object_checks && !validate_object(node, v.get_object(), ctx, path)) {
        COREGATE_FAIL();
      }
      break;
    default:
      break;
  }
  for (const Node* sub : node.all_of) {
    if (!validate_node(*sub, v, ctx, path)) COREGATE_FAIL();
  }
  if (!node.any_of.empty()) {
    bool any = std::any_of(node.any_of.begin(), node.any_of.end(),
                           [&](const Node* sub) { return quietly_valid(*sub, v, ctx, path); });
    if (!any) {
      report(ctx, path, "anyOf", [&] {
        return "value matches none of the " + std::to_string(node.any_of.size()) +
               " anyOf alternatives";
      });
      explain_closest_alternative(node.any_of, v, ctx, path);
      COREGATE_FAIL();
    }
  }
  if (!node.one_of.empty()) {
    std::size_t matches = 0;
    for (const Node* sub : node.one_of) {
      if (quietly_valid(*sub, v, ctx, path) && ++matches > 1) break;
    }
    if (matches != 1) {
      report(ctx, path, "oneOf", [&] {
        return matches == 0 ? "value matches none of the " + std::to_string(node.one_of.size()) +
                                  " oneOf alternatives"
                            : std::string("value matches more than one oneOf alternative");
      });
      if (matches == 0) explain_closest_alternative(node.one_of, v, ctx, path);
      COREGATE_FAIL();
    }
  }
  if (node.not_schema != nullptr && quietly_valid(*node.not_schema, v, ctx, path)) {
    report(ctx, path, "not", [] { return std::string("value must not match the 'not' schema"); });
    COREGATE_FAIL();
  }
  if (node.if_schema != nullptr) {
    const Node* branch =
        quietly_valid(*node.if_schema, v, ctx, path) ? node.then_schema : node.else_schema;
    if (branch != nullptr && !validate_node(*branch, v, ctx, path)) COREGATE_FAIL();
  }
  return ok;
}

#undef COREGATE_FAIL

}  // namespace
}  // namespace detail

CompiledSchema::CompiledSchema(std::shared_ptr<const detail::Arena> arena, const detail::Node* root,
                               std::string uri)
    : arena_(std::move(arena)), root_(root), uri_(std::move(uri)) {}

bool CompiledSchema::validate(const boost::json::value& instance,
                              std::vector<ValidationError>* errors) const {
  detail::Context ctx{errors, 0};
  return detail::validate_node(*root_, instance, ctx, nullptr);
}

}  // namespace coregate::schema
