// Schema JSON -> Node graph. Every keyword is either compiled, accepted as an annotation, or
// refused with a SchemaError naming it: nothing is silently ignored.
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "gateway/schema/decimal_number.h"
#include "gateway/schema/json_pointer.h"
#include "gateway/schema/schema_index.h"

namespace coregate::schema::detail {

namespace {

class NodeCompiler {
 public:
  NodeCompiler(SchemaIndex& index, const SubschemaInfo& info, Node& node,
               const std::function<const Node*(const boost::json::value&)>& compile_child)
      : index_(index), info_(info), node_(node), compile_child_(compile_child) {}

  void compile(const boost::json::object& schema) {
    for (const auto& member : schema) compile_keyword(member.key(), member.value());
    std::sort(node_.properties.begin(), node_.properties.end(),
              [](const NamedNode& a, const NamedNode& b) { return a.name < b.name; });
    // Required names that are also properties are checked with a bit mask filled while the
    // members are walked anyway, instead of one instance lookup per name.
    int next_bit = 0;
    for (const auto& name : node_.required) {
      int bit = -1;
      for (auto& property : node_.properties) {
        if (property.name == name && next_bit < 64) {
          if (property.required_bit < 0) property.required_bit = next_bit++;
          bit = property.required_bit;
          break;
        }
      }
      node_.required_bits.push_back(bit);
    }
    node_.has_string_checks =
        node_.min_length || node_.max_length || node_.pattern || node_.format != Format::kNone;
    node_.has_number_checks = node_.minimum || node_.maximum || node_.exclusive_minimum ||
                              node_.exclusive_maximum || node_.multiple_of;
    node_.has_array_checks =
        !node_.prefix_items.empty() || node_.items || node_.min_items || node_.max_items;
    node_.has_object_checks = !node_.properties.empty() || !node_.pattern_properties.empty() ||
                              node_.additional_properties || !node_.required.empty() ||
                              node_.min_properties || node_.max_properties ||
                              !node_.dependent_required.empty();
  }

 private:
  [[noreturn]] void fail(std::string_view keyword, const std::string& message) const {
    std::string pointer = info_.pointer;
    append_pointer_token(pointer, keyword);
    throw SchemaError(info_.location, pointer, message);
  }

  const Node* child(const boost::json::value& v) { return compile_child_(v); }

  std::vector<const Node*> schema_array(std::string_view keyword, const boost::json::value& v) {
    if (!v.is_array() || v.get_array().empty()) {
      fail(keyword, std::string(keyword) + " must be a non-empty array of schemas");
    }
    std::vector<const Node*> out;
    for (const auto& item : v.get_array()) out.push_back(child(item));
    return out;
  }

  std::uint64_t non_negative_integer(std::string_view keyword, const boost::json::value& v) const {
    if (!v.is_number() || !is_integral_number(v) || v.to_number<double>() < 0) {
      fail(keyword, std::string(keyword) + " must be a non-negative integer");
    }
    if (v.is_double()) return static_cast<std::uint64_t>(v.get_double());
    return v.is_int64() ? static_cast<std::uint64_t>(v.get_int64()) : v.get_uint64();
  }

  boost::json::value number(std::string_view keyword, const boost::json::value& v) const {
    if (!v.is_number()) fail(keyword, std::string(keyword) + " must be a number");
    return v;
  }

  std::vector<std::string> string_array(std::string_view keyword,
                                        const boost::json::value& v) const {
    if (!v.is_array()) fail(keyword, std::string(keyword) + " must be an array of strings");
    std::vector<std::string> out;
    for (const auto& item : v.get_array()) {
      if (!item.is_string()) fail(keyword, std::string(keyword) + " must be an array of strings");
      out.emplace_back(item.get_string());
    }
    return out;
  }

  std::uint8_t type_bit(std::string_view name) const {
    if (name == "null") return kTypeNull;
    if (name == "boolean") return kTypeBoolean;
    if (name == "integer") return kTypeInteger;
    if (name == "number") return kTypeNumber;
    if (name == "string") return kTypeString;
    if (name == "array") return kTypeArray;
    if (name == "object") return kTypeObject;
    fail("type", "unknown type '" + std::string(name) + "'");
  }

  Pattern make_pattern(std::string_view keyword, std::string_view source) const {
    try {
      return Pattern(source);
    } catch (const std::invalid_argument& e) {
      fail(keyword, "invalid pattern '" + std::string(source) + "': " + e.what());
    }
  }

  void compile_keyword(std::string_view k, const boost::json::value& v) {
    if (k == "type") {
      if (v.is_string()) {
        node_.types = type_bit(v.get_string());
      } else if (v.is_array() && !v.get_array().empty()) {
        for (const auto& t : v.get_array()) {
          if (!t.is_string()) fail(k, "type must be a string or an array of strings");
          node_.types |= type_bit(t.get_string());
        }
      } else {
        fail(k, "type must be a string or a non-empty array of strings");
      }
    } else if (k == "enum") {
      if (!v.is_array()) fail(k, "enum must be an array");
      node_.has_enum = true;
      node_.enum_values.assign(v.get_array().begin(), v.get_array().end());
    } else if (k == "const") {
      node_.const_value = v;
    } else if (k == "properties") {
      if (!v.is_object()) fail(k, "properties must be an object of schemas");
      for (const auto& p : v.get_object()) {
        node_.properties.push_back({std::string(p.key()), child(p.value())});
      }
    } else if (k == "patternProperties") {
      if (!v.is_object()) fail(k, "patternProperties must be an object of schemas");
      for (const auto& p : v.get_object()) {
        node_.pattern_properties.push_back({make_pattern(k, p.key()), child(p.value())});
      }
    } else if (k == "additionalProperties") {
      node_.additional_properties = child(v);
    } else if (k == "required") {
      node_.required = string_array(k, v);
    } else if (k == "items") {
      if (v.is_array()) fail(k, "items must be a schema in 2020-12 (use prefixItems for tuples)");
      node_.items = child(v);
    } else if (k == "prefixItems") {
      node_.prefix_items = schema_array(k, v);
    } else if (k == "minLength") {
      node_.min_length = non_negative_integer(k, v);
    } else if (k == "maxLength") {
      node_.max_length = non_negative_integer(k, v);
    } else if (k == "minItems") {
      node_.min_items = non_negative_integer(k, v);
    } else if (k == "maxItems") {
      node_.max_items = non_negative_integer(k, v);
    } else if (k == "minProperties") {
      node_.min_properties = non_negative_integer(k, v);
    } else if (k == "maxProperties") {
      node_.max_properties = non_negative_integer(k, v);
    } else if (k == "minimum") {
      node_.minimum = number(k, v);
    } else if (k == "maximum") {
      node_.maximum = number(k, v);
    } else if (k == "exclusiveMinimum") {
      node_.exclusive_minimum = number(k, v);
    } else if (k == "exclusiveMaximum") {
      node_.exclusive_maximum = number(k, v);
    } else if (k == "multipleOf") {
      node_.multiple_of = number(k, v);
      if (v.to_number<double>() <= 0) fail(k, "multipleOf must be greater than 0");
    } else if (k == "pattern") {
      if (!v.is_string()) fail(k, "pattern must be a string");
      node_.pattern.emplace(make_pattern(k, v.get_string()));
    } else if (k == "format") {
      if (!v.is_string()) fail(k, "format must be a string");
      auto format = parse_format_name(v.get_string());
      if (!format) {
        fail(k, "format '" + std::string(v.get_string()) +
                    "' is not supported (asserted formats: date, date-time, email, uuid)");
      }
      node_.format = *format;
    } else if (k == "allOf") {
      node_.all_of = schema_array(k, v);
    } else if (k == "anyOf") {
      node_.any_of = schema_array(k, v);
    } else if (k == "oneOf") {
      node_.one_of = schema_array(k, v);
    } else if (k == "not") {
      node_.not_schema = child(v);
    } else if (k == "if") {
      node_.if_schema = child(v);
    } else if (k == "then") {
      node_.then_schema = child(v);
    } else if (k == "else") {
      node_.else_schema = child(v);
    } else if (k == "dependentRequired") {
      if (!v.is_object()) fail(k, "dependentRequired must be an object of string arrays");
      for (const auto& d : v.get_object()) {
        node_.dependent_required.push_back({std::string(d.key()), string_array(k, d.value())});
      }
    } else if (k == "$ref") {
      if (!v.is_string()) fail(k, "$ref must be a string");
      RefTarget target = index_.resolve_ref(*current_, v.get_string());
      if (target.schema == nullptr) fail(k, target.error);
      node_.ref = child(*target.schema);
    } else if (k == "$defs") {
      if (!v.is_object()) fail(k, "$defs must be an object of schemas");
      for (const auto& d : v.get_object()) child(d.value());  // refuse bad keywords eagerly
    } else if (k == "$schema") {
      if (!v.is_string()) fail(k, "$schema must be a string");
      std::string_view dialect = v.get_string();
      if (dialect != "https://json-schema.org/draft/2020-12/schema" &&
          dialect != "https://json-schema.org/draft/2020-12/schema#") {
        fail(k, "unsupported dialect '" + std::string(dialect) +
                    "' (only https://json-schema.org/draft/2020-12/schema)");
      }
    } else if (k == "$id" || k == "$comment" || k == "title" || k == "description") {
      if (!v.is_string()) fail(k, std::string(k) + " must be a string");
    } else if (k == "deprecated" || k == "readOnly" || k == "writeOnly") {
      if (!v.is_bool()) fail(k, std::string(k) + " must be a boolean");
    } else if (k == "examples") {
      if (!v.is_array()) fail(k, "examples must be an array");
    } else if (k == "default") {
      // annotation: any value
    } else {
      fail(k, "unsupported keyword '" + std::string(k) + "'");
    }
  }

 public:
  const boost::json::value* current_ = nullptr;

 private:
  SchemaIndex& index_;
  const SubschemaInfo& info_;
  Node& node_;
  const std::function<const Node*(const boost::json::value&)>& compile_child_;
};

// Children a node applies to the SAME instance location; a cycle through these alone would
// recurse forever at validation time, whatever the instance.
void in_place_children(const Node& n, std::vector<const Node*>& out) {
  out.clear();
  if (n.ref) out.push_back(n.ref);
  for (const Node* c : n.all_of) out.push_back(c);
  for (const Node* c : n.any_of) out.push_back(c);
  for (const Node* c : n.one_of) out.push_back(c);
  for (const Node* c : {n.not_schema, n.if_schema, n.then_schema, n.else_schema}) {
    if (c) out.push_back(c);
  }
}

// Rejects in-place cycles ({"$ref": "#"}, a -> b -> a) among the nodes from `first_new` on.
void reject_in_place_cycles(const Arena& arena, std::size_t first_new) {
  std::unordered_map<const Node*, int> state;  // 1 = on the DFS stack, 2 = done
  std::function<void(const Node*)> visit = [&](const Node* n) {
    int& s = state[n];
    if (s == 2) return;
    if (s == 1) {
      throw SchemaError(n->schema_location, "",
                        "$ref cycle that never reaches a deeper instance location");
    }
    s = 1;
    std::vector<const Node*> children;
    in_place_children(*n, children);
    for (const Node* c : children) visit(c);
    state[n] = 2;
  };
  for (std::size_t i = first_new; i < arena.nodes.size(); ++i) visit(&arena.nodes[i]);
}

}  // namespace

const Node* SchemaIndex::compile(const boost::json::value& root) {
  std::size_t first_new = arena_->nodes.size();
  std::function<const Node*(const boost::json::value&)> compile_one;
  compile_one = [&](const boost::json::value& schema) -> const Node* {
    if (auto it = compiled_.find(&schema); it != compiled_.end()) return it->second;
    const SubschemaInfo* where = info(schema);
    if (where == nullptr) throw SchemaError("(unknown)", "", "internal: subschema not indexed");
    Node& node = arena_->nodes.emplace_back();
    compiled_[&schema] = &node;  // before children, so recursive $refs find it
    node.schema_location = where->location + "#" + where->pointer;
    if (schema.is_bool()) {
      node.always_false = !schema.get_bool();
      return &node;
    }
    if (!schema.is_object()) {
      throw SchemaError(where->location, where->pointer, "a schema must be an object or a boolean");
    }
    try {
      NodeCompiler compiler(*this, *where, node, compile_one);
      compiler.current_ = &schema;
      compiler.compile(schema.get_object());
    } catch (...) {
      compiled_.erase(&schema);  // a failed node must not be found by a later compile
      throw;
    }
    return &node;
  };
  const Node* result = nullptr;
  try {
    result = compile_one(root);
    reject_in_place_cycles(*arena_, first_new);
  } catch (...) {
    // Forget every node of this failed compile: the arena keeps them (append-only) but no cache
    // entry may point at a half-built node.
    std::unordered_set<const Node*> failed;
    for (std::size_t i = first_new; i < arena_->nodes.size(); ++i) failed.insert(&arena_->nodes[i]);
    std::erase_if(compiled_, [&](const auto& entry) { return failed.contains(entry.second); });
    throw;
  }
  return result;
}

}  // namespace coregate::schema::detail
