// JSON Schema (2020-12 subset) compiled to a tree of checkers, and the registry that loads the
// canonical schemas under schemas/ and resolves $ref between them.
//
// Supported keywords (everything else is REFUSED at load with a SchemaError naming the keyword and
// the schema pointer — never silently ignored):
//   assertions: type enum const properties required additionalProperties patternProperties items
//     prefixItems minLength maxLength (code points) minItems maxItems minProperties maxProperties
//     minimum maximum exclusiveMinimum exclusiveMaximum multipleOf (exact on decimals) pattern
//     (ECMA-262 syntax, unanchored) format (an ASSERTION for date, date-time, email, uuid; any
//     other format name is refused) allOf anyOf oneOf not if/then/else dependentRequired
//     $ref (same file, relative, $id-based; fragments are JSON pointers) $defs
//   annotations (accepted, no effect): $schema $id $comment title description examples default
//     deprecated readOnly writeOnly
// See docs/json-schema-conformance.md for the official test-suite figures.
#pragma once

#include <boost/json/value.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::schema {

// One failed assertion. instance_pointer is an RFC 6901 pointer into the instance ("" = root);
// keyword is the failing keyword ("required", "pattern"; for a $ref the keyword inside the
// referenced schema is reported — "$ref" itself appears only when recursion exceeds the depth
// limit); message is for humans.
struct ValidationError {
  std::string instance_pointer;
  std::string keyword;
  std::string message;
};

// Thrown at load/compile time only: unsupported keyword, malformed keyword value, unresolvable
// $ref, file that is not JSON. what() names the file or URI and the schema pointer.
class SchemaError : public std::runtime_error {
 public:
  SchemaError(std::string location, std::string schema_pointer, const std::string& message);
  // File path or schema URI the error is in.
  const std::string& location() const { return location_; }
  // RFC 6901 pointer inside that document ("" = root).
  const std::string& schema_pointer() const { return schema_pointer_; }

 private:
  std::string location_;
  std::string schema_pointer_;
};

namespace detail {
struct Node;
struct Arena;
}  // namespace detail

// At most this many errors are appended by one validate() call.
inline constexpr std::size_t kMaxValidationErrors = 100;

// A compiled schema. Immutable; validate() is const and thread-safe (many threads may validate
// against the same CompiledSchema). Keeps the compiled nodes it needs alive (including those of
// other schemas it $refs), so it may outlive the SchemaRegistry that produced it.
class CompiledSchema {
 public:
  CompiledSchema(std::shared_ptr<const detail::Arena> arena, const detail::Node* root,
                 std::string uri);

  // Returns true when `instance` is valid. When errors != nullptr, appends every error found, up
  // to kMaxValidationErrors. With errors == nullptr validation stops at the first failure.
  // Does not allocate when the instance is valid.
  [[nodiscard]] bool validate(const boost::json::value& instance,
                              std::vector<ValidationError>* errors) const;

  // The absolute URI the schema was compiled under (its $id, or the base URI given).
  const std::string& uri() const { return uri_; }

 private:
  std::shared_ptr<const detail::Arena> arena_;
  const detail::Node* root_;
  std::string uri_;
};

// Loads schema documents, compiles them once, resolves $ref across them.
// Threading: load_directory() and compile() mutate the registry and must not run concurrently with
// any other call on it (do them at start-up). After that, find(), list() and subschema_at() are
// const and thread-safe. CompiledSchema objects already handed out stay valid and thread-safe even
// while compile() adds more.
class SchemaRegistry {
 public:
  SchemaRegistry();
  ~SchemaRegistry();
  SchemaRegistry(const SchemaRegistry&) = delete;
  SchemaRegistry& operator=(const SchemaRegistry&) = delete;

  // Loads and compiles every *.json file below `root`. Each is findable by its $id and by its path
  // relative to root ("outcomes/arrangement.promise_to_pay.json"). A file without $id gets the
  // base URI "file://<absolute path>". Throws SchemaError (file name + pointer) on the first bad
  // file; documents loaded before the error stay registered.
  void load_directory(const std::filesystem::path& root);

  // Registers one schema document under `base_uri` (overridden by a root $id) without compiling
  // it, so other schemas can $ref it (the test-suite remotes use this). Throws SchemaError when
  // the document's $id collides with one already registered. `location` names the document in
  // error messages (e.g. its file path); empty means the base URI. An empty base_uri gets a
  // unique "urn:coregate:schema:N".
  void add_document(const boost::json::value& schema, std::string base_uri,
                    std::string location = {});

  // Registers `schema` under `base_uri` (its $id wins when present) and compiles it, resolving
  // $refs against everything registered so far. Throws SchemaError.
  std::shared_ptr<const CompiledSchema> compile(const boost::json::value& schema,
                                                std::string base_uri, std::string location = {});

  // By $id ("https://coregate.dev/schemas/outcomes/x.json") or by path relative to the loaded
  // root ("outcomes/x.json"). nullptr when absent.
  std::shared_ptr<const CompiledSchema> find(std::string_view id_or_relative_path) const;

  // Names of the schemas directly in `relative_dir` of the loaded root, without ".json", sorted:
  // list("outcomes") -> {"account.flag_cleared", ...}. Empty when the folder is unknown.
  std::vector<std::string> list(std::string_view relative_dir) const;

  // The ($ref-resolved) subschema governing instance location `instance_pointer` (e.g.
  // "/data/amount/value") in schema `id_or_relative_path`, following properties, items,
  // prefixItems, $ref and allOf (first branch that describes the location). nullptr when the
  // schema is unknown or the location is not described (e.g. additionalProperties:false, or only
  // reachable through anyOf/oneOf/patternProperties). The pointer stays valid as long as the
  // registry lives.
  const boost::json::value* subschema_at(std::string_view id_or_relative_path,
                                         std::string_view instance_pointer) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace coregate::schema
