#include "gateway/schema/schema_registry.h"

#include <algorithm>
#include <set>

#include "gateway/schema/json_pointer.h"
#include "gateway/schema/schema_files.h"
#include "gateway/schema/schema_index.h"

namespace coregate::schema {

namespace {

std::string describe(const std::string& location, const std::string& pointer,
                     const std::string& message) {
  return location + (pointer.empty() ? std::string() : " at " + pointer) + ": " + message;
}

// Follows $ref chains (bounded) so callers look at the schema that actually governs.
const boost::json::value* deref(const detail::SchemaIndex& index, const boost::json::value* s) {
  for (int hops = 0; s != nullptr && hops < 64; ++hops) {
    const auto* object = s->if_object();
    if (object == nullptr) return s;
    const auto* ref = object->if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) return s;
    // A $ref next to "properties" etc. still governs with them; prefer the referenced schema
    // only when the referencing one describes nothing itself.
    if (object->contains("properties") || object->contains("items") ||
        object->contains("prefixItems")) {
      return s;
    }
    s = index.resolve_ref_const(*s, ref->get_string());
  }
  return s;
}

bool parse_index(std::string_view token, std::size_t& index) {
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return false;
  index = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

// The subschema describing member/element `token` of instances of `schema`.
const boost::json::value* child_schema(const detail::SchemaIndex& index,
                                       const boost::json::value* schema, std::string_view token,
                                       int depth) {
  schema = deref(index, schema);
  if (schema == nullptr || depth > 32) return nullptr;
  const auto* object = schema->if_object();
  if (object == nullptr) return schema->is_bool() && schema->get_bool() ? schema : nullptr;
  if (const auto* ref = object->if_contains("$ref"); ref != nullptr && ref->is_string()) {
    if (auto* found = child_schema(index, index.resolve_ref_const(*schema, ref->get_string()),
                                   token, depth + 1)) {
      return found;
    }
  }
  if (const auto* properties = object->if_contains("properties")) {
    if (properties->is_object()) {
      if (const auto* p = properties->get_object().if_contains(token)) return p;
    }
  }
  std::size_t i = 0;
  if (parse_index(token, i)) {
    if (const auto* prefix = object->if_contains("prefixItems");
        prefix != nullptr && prefix->is_array() && i < prefix->get_array().size()) {
      return &prefix->get_array()[i];
    }
    if (const auto* items = object->if_contains("items");
        items != nullptr && !(items->is_bool() && !items->get_bool())) {
      return items;
    }
  }
  if (const auto* all_of = object->if_contains("allOf"); all_of != nullptr && all_of->is_array()) {
    for (const auto& branch : all_of->get_array()) {
      if (auto* found = child_schema(index, &branch, token, depth + 1)) return found;
    }
  }
  if (const auto* additional = object->if_contains("additionalProperties");
      additional != nullptr && additional->is_object()) {
    return additional;
  }
  return nullptr;
}

}  // namespace

SchemaError::SchemaError(std::string location, std::string schema_pointer,
                         const std::string& message)
    : std::runtime_error(describe(location, schema_pointer, message)),
      location_(std::move(location)),
      schema_pointer_(std::move(schema_pointer)) {}

struct SchemaRegistry::State {
  detail::SchemaIndex index;
  // By $id / document URI and by path relative to the loaded root.
  std::map<std::string, std::shared_ptr<const CompiledSchema>, std::less<>> compiled;
  std::map<std::string, const boost::json::value*, std::less<>> roots;
  std::map<std::string, std::set<std::string>, std::less<>> folders;
  int anonymous = 0;

  void remember(const std::string& key, const std::shared_ptr<const CompiledSchema>& schema,
                const boost::json::value& root) {
    compiled[key] = schema;
    roots[key] = &root;
  }

  std::string base_for(const std::string& base_uri) {
    return base_uri.empty() ? "urn:coregate:schema:" + std::to_string(++anonymous) : base_uri;
  }

  // URI a compiled root is known by: its $id when present, else the base it was added under.
  std::string uri_of(const boost::json::value& root) const {
    const auto* info = index.info(root);
    return info ? info->base_uri : std::string();
  }
};

SchemaRegistry::SchemaRegistry() : state_(std::make_unique<State>()) {}
SchemaRegistry::~SchemaRegistry() = default;

void SchemaRegistry::load_directory(const std::filesystem::path& root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    throw SchemaError(root.string(), "", "not a directory");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  // Register every document first so $refs between files resolve whatever the order.
  std::vector<std::pair<std::string, const boost::json::value*>> loaded;
  for (const auto& path : files) {
    boost::json::value document;
    try {
      document = read_json_file(path);
    } catch (const JsonFileError& e) {
      throw SchemaError(path.string(), "", e.what());
    }
    const auto& stored = state_->index.add(std::move(document), file_uri(path), path.string());
    loaded.emplace_back(path.lexically_relative(root).generic_string(), &stored);
  }
  for (const auto& [relative, document] : loaded) {
    const detail::Node* node = state_->index.compile(*document);
    std::string uri = state_->uri_of(*document);
    auto compiled = std::make_shared<const CompiledSchema>(state_->index.arena(), node, uri);
    state_->remember(relative, compiled, *document);
    state_->remember(uri, compiled, *document);
    std::filesystem::path rel(relative);
    state_->folders[rel.parent_path().generic_string()].insert(rel.stem().string());
  }
}

void SchemaRegistry::add_document(const boost::json::value& schema, std::string base_uri,
                                  std::string location) {
  std::string base = state_->base_for(base_uri);
  state_->index.add(schema, base, location.empty() ? base : location);
}

std::shared_ptr<const CompiledSchema> SchemaRegistry::compile(const boost::json::value& schema,
                                                              std::string base_uri,
                                                              std::string location) {
  std::string base = state_->base_for(base_uri);
  const auto& stored = state_->index.add(schema, base, location.empty() ? base : location);
  const detail::Node* node = state_->index.compile(stored);
  std::string uri = state_->uri_of(stored);
  auto compiled = std::make_shared<const CompiledSchema>(state_->index.arena(), node, uri);
  state_->remember(uri, compiled, stored);
  return compiled;
}

std::shared_ptr<const CompiledSchema> SchemaRegistry::find(
    std::string_view id_or_relative_path) const {
  auto it = state_->compiled.find(id_or_relative_path);
  if (it != state_->compiled.end()) return it->second;
  std::string normal = detail::SchemaIndex::normalize(id_or_relative_path);
  if (normal.empty()) return nullptr;
  it = state_->compiled.find(normal);
  return it == state_->compiled.end() ? nullptr : it->second;
}

std::vector<std::string> SchemaRegistry::list(std::string_view relative_dir) const {
  std::string dir(relative_dir);
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  auto it = state_->folders.find(dir);
  if (it == state_->folders.end()) return {};
  return {it->second.begin(), it->second.end()};
}

const boost::json::value* SchemaRegistry::subschema_at(std::string_view id_or_relative_path,
                                                       std::string_view instance_pointer) const {
  auto it = state_->roots.find(id_or_relative_path);
  if (it == state_->roots.end()) {
    std::string normal = detail::SchemaIndex::normalize(id_or_relative_path);
    it = normal.empty() ? state_->roots.end() : state_->roots.find(normal);
    if (it == state_->roots.end()) return nullptr;
  }
  const boost::json::value* current = it->second;
  if (!instance_pointer.empty() && instance_pointer.front() != '/') return nullptr;
  std::size_t pos = 1;
  std::string token;
  while (current != nullptr && pos <= instance_pointer.size() && !instance_pointer.empty()) {
    std::size_t end = instance_pointer.find('/', pos);
    std::string_view raw =
        instance_pointer.substr(pos, end == std::string_view::npos ? end : end - pos);
    token.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token.push_back(raw[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    current = child_schema(state_->index, current, token, 0);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  if (current == nullptr) return nullptr;
  // Resolve a trailing pure $ref so the caller sees the governing schema itself.
  const boost::json::value* resolved = current;
  for (int hops = 0; hops < 64; ++hops) {
    const auto* object = resolved->if_object();
    if (object == nullptr || object->size() != 1) break;
    const auto* ref = object->if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) break;
    const auto* next = state_->index.resolve_ref_const(*resolved, ref->get_string());
    if (next == nullptr) break;
    resolved = next;
  }
  return resolved;
}

}  // namespace coregate::schema
