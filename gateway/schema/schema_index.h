// The registry's internal index: every schema document it holds, every resource ($id or document
// base URI) and every subschema with its base URI and location, plus the compiled-node cache.
// Shared by the compiler (which resolves $ref while building Nodes) and subschema_at().
#pragma once

#include <boost/json/value.hpp>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/schema/node.h"
#include "gateway/schema/schema_registry.h"

namespace coregate::schema::detail {

// Where a subschema lives: its base URI (for resolving $ref) and, for diagnostics, the document
// location (file path or URI) and the JSON pointer inside that document.
struct SubschemaInfo {
  std::string base_uri;
  std::string location;
  std::string pointer;
};

struct Resource {
  const boost::json::value* schema = nullptr;
};

// The outcome of resolving a $ref without throwing.
struct RefTarget {
  const boost::json::value* schema = nullptr;  // nullptr on failure
  std::string error;                           // why, when schema == nullptr
};

class SchemaIndex {
 public:
  SchemaIndex() : arena_(std::make_shared<Arena>()) {}

  // Takes ownership of a document, registers its resources under base_uri (a root $id wins) and
  // indexes its subschemas. Returns the stored root. Throws SchemaError on a bad or duplicate $id.
  const boost::json::value& add(boost::json::value document, const std::string& base_uri,
                                const std::string& location);

  // Compiles the subschema at `schema` (which must be indexed) and everything it references.
  // Throws SchemaError naming the location and pointer of the offending keyword.
  const Node* compile(const boost::json::value& schema);

  // Resolves `ref` as written in the subschema `from` (uses its base URI).
  RefTarget resolve_ref(const boost::json::value& from, std::string_view ref);

  const SubschemaInfo* info(const boost::json::value& schema) const;
  // Read-only variant for subschema_at(): does not index newly reached locations.
  const boost::json::value* resolve_ref_const(const boost::json::value& from,
                                              std::string_view ref) const;

  const std::shared_ptr<Arena>& arena() const { return arena_; }
  // The absolute, normalised form of `uri` (no fragment); empty when it does not parse.
  static std::string normalize(std::string_view uri);

 private:
  void index(const boost::json::value& schema, const std::string& base, const std::string& location,
             const std::string& pointer);
  // Splits base+ref into (absolute URI without fragment, decoded fragment). False when malformed.
  static bool split_reference(std::string_view base, std::string_view ref, std::string& uri,
                              std::string& fragment);

  std::shared_ptr<Arena> arena_;
  std::deque<boost::json::value> documents_;  // deque: stable addresses
  std::map<std::string, Resource, std::less<>> resources_;
  std::unordered_map<const boost::json::value*, SubschemaInfo> subschemas_;
  std::unordered_map<const boost::json::value*, const Node*> compiled_;
};

}  // namespace coregate::schema::detail
