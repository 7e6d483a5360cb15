// The compiled form of a schema: a graph of Nodes, one per (sub)schema object, built once by the
// compiler and only read by the validator. Internal to coregate_schema.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "gateway/schema/format_checks.h"
#include "gateway/schema/pattern.h"

namespace coregate::schema::detail {

// Bits of the "type" keyword. kInteger also accepts numbers with a zero fraction (1.0).
enum TypeBit : std::uint8_t {
  kTypeNull = 1,
  kTypeBoolean = 2,
  kTypeInteger = 4,
  kTypeNumber = 8,
  kTypeString = 16,
  kTypeArray = 32,
  kTypeObject = 64,
};

struct NamedNode {
  std::string name;
  const struct Node* node = nullptr;
  int required_bit = -1;  // bit set while walking members when this property is also required
};

struct PatternNode {
  Pattern pattern;
  const struct Node* node = nullptr;
};

struct DependentRequired {
  std::string name;
  std::vector<std::string> required;
};

struct Node {
  // Boolean schemas: `true` is a Node with no checks; `false` sets always_false.
  bool always_false = false;
  std::uint8_t types = 0;       // 0: no "type" keyword
  std::string schema_location;  // "uri#pointer", for diagnostics

  // Any instance type.
  bool has_enum = false;
  std::vector<boost::json::value> enum_values;
  std::optional<boost::json::value> const_value;
  const Node* ref = nullptr;
  std::vector<const Node*> all_of;
  std::vector<const Node*> any_of;
  std::vector<const Node*> one_of;
  const Node* not_schema = nullptr;
  const Node* if_schema = nullptr;
  const Node* then_schema = nullptr;
  const Node* else_schema = nullptr;

  // Strings.
  bool has_string_checks = false;
  std::optional<std::uint64_t> min_length;
  std::optional<std::uint64_t> max_length;
  std::optional<Pattern> pattern;
  Format format = Format::kNone;

  // Numbers (stored as the JSON numbers the schema wrote).
  bool has_number_checks = false;
  std::optional<boost::json::value> minimum;
  std::optional<boost::json::value> maximum;
  std::optional<boost::json::value> exclusive_minimum;
  std::optional<boost::json::value> exclusive_maximum;
  std::optional<boost::json::value> multiple_of;

  // Arrays.
  bool has_array_checks = false;
  std::vector<const Node*> prefix_items;
  const Node* items = nullptr;
  std::optional<std::uint64_t> min_items;
  std::optional<std::uint64_t> max_items;

  // Objects. properties is sorted by name for binary search.
  bool has_object_checks = false;
  std::vector<NamedNode> properties;
  std::vector<PatternNode> pattern_properties;
  const Node* additional_properties = nullptr;
  std::vector<std::string> required;
  // Parallel to `required`: the bit a present property sets while members are walked, or -1 when
  // the name has no "properties" entry (then it is looked up in the instance).
  std::vector<int> required_bits;
  std::optional<std::uint64_t> min_properties;
  std::optional<std::uint64_t> max_properties;
  std::vector<DependentRequired> dependent_required;

  const NamedNode* find_property(std::string_view name) const;
};

// Owns every Node of one registry. Append-only: a deque keeps addresses stable while the
// registry compiles more schemas, so nodes handed out never move.
struct Arena {
  std::deque<Node> nodes;
};

}  // namespace coregate::schema::detail
