#include "gateway/schema/schema_index.h"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "gateway/schema/json_pointer.h"

namespace coregate::schema::detail {

namespace {

// Keywords whose value is one subschema / a map of subschemas / an array of subschemas. Only
// these are walked: a subschema under any other keyword is refused at compile time anyway.
bool is_single_schema_keyword(std::string_view k) {
  return k == "not" || k == "if" || k == "then" || k == "else" || k == "items" ||
         k == "additionalProperties";
}
bool is_schema_map_keyword(std::string_view k) {
  return k == "properties" || k == "patternProperties" || k == "$defs";
}
bool is_schema_array_keyword(std::string_view k) {
  return k == "allOf" || k == "anyOf" || k == "oneOf" || k == "prefixItems";
}

}  // namespace

std::string SchemaIndex::normalize(std::string_view uri) {
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return {};
  boost::urls::url u(*parsed);
  u.remove_fragment();
  u.normalize();
  return std::string(u.buffer());
}

bool SchemaIndex::split_reference(std::string_view base, std::string_view ref, std::string& uri,
                                  std::string& fragment) {
  auto base_view = boost::urls::parse_uri(base);
  auto ref_view = boost::urls::parse_uri_reference(ref);
  if (!base_view || !ref_view) return false;
  boost::urls::url resolved;
  if (!boost::urls::resolve(*base_view, *ref_view, resolved)) return false;
  std::string encoded_fragment =
      resolved.has_fragment() ? std::string(resolved.encoded_fragment()) : std::string();
  if (!percent_decode(encoded_fragment, fragment)) return false;
  resolved.remove_fragment();
  resolved.normalize();
  uri = std::string(resolved.buffer());
  return true;
}

const boost::json::value& SchemaIndex::add(boost::json::value document, const std::string& base_uri,
                                           const std::string& location) {
  std::string base = normalize(base_uri);
  if (base.empty()) throw SchemaError(location, "", "base URI '" + base_uri + "' is not absolute");
  documents_.push_back(std::move(document));
  const boost::json::value& root = documents_.back();
  // The document itself is a resource under its base URI (a root $id adds its own URI too).
  if (!resources_.contains(base)) resources_[base] = Resource{&root};
  index(root, base, location, "");
  return root;
}

void SchemaIndex::index(const boost::json::value& schema, const std::string& base,
                        const std::string& location, const std::string& pointer) {
  if (subschemas_.contains(&schema)) return;
  std::string own_base = base;
  const auto* object = schema.if_object();
  if (object != nullptr) {
    if (const auto* id = object->if_contains("$id"); id != nullptr && id->is_string()) {
      std::string uri;
      std::string fragment;
      if (!split_reference(base, id->get_string(), uri, fragment)) {
        throw SchemaError(location, pointer + "/$id", "$id is not a valid URI reference");
      }
      if (!fragment.empty()) {
        throw SchemaError(location, pointer + "/$id",
                          "$id must not carry a fragment (use $defs and a JSON-pointer $ref)");
      }
      auto [it, inserted] = resources_.try_emplace(uri, Resource{&schema});
      if (!inserted && it->second.schema != &schema) {
        // The document root was registered under its base before indexing; an identical $id
        // on that root is the same resource, anything else is a genuine clash.
        const bool same_document_root = pointer.empty() && uri == base;
        if (!same_document_root) {
          throw SchemaError(location, pointer + "/$id", "duplicate schema $id '" + uri + "'");
        }
      }
      own_base = uri;
    }
  }
  subschemas_[&schema] = SubschemaInfo{own_base, location, pointer};
  if (object == nullptr) return;
  for (const auto& member : *object) {
    std::string_view key = member.key();
    std::string child_pointer = pointer;
    append_pointer_token(child_pointer, key);
    if (is_single_schema_keyword(key)) {
      index(member.value(), own_base, location, child_pointer);
    } else if (is_schema_map_keyword(key) && member.value().is_object()) {
      for (const auto& entry : member.value().get_object()) {
        std::string entry_pointer = child_pointer;
        append_pointer_token(entry_pointer, entry.key());
        index(entry.value(), own_base, location, entry_pointer);
      }
    } else if (is_schema_array_keyword(key) && member.value().is_array()) {
      const auto& array = member.value().get_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        index(array[i], own_base, location, child_pointer + "/" + std::to_string(i));
      }
    }
  }
}

const SubschemaInfo* SchemaIndex::info(const boost::json::value& schema) const {
  auto it = subschemas_.find(&schema);
  return it == subschemas_.end() ? nullptr : &it->second;
}

RefTarget SchemaIndex::resolve_ref(const boost::json::value& from, std::string_view ref) {
  const SubschemaInfo* from_info = info(from);
  if (from_info == nullptr) return {nullptr, "internal: subschema not indexed"};
  std::string uri;
  std::string fragment;
  if (!split_reference(from_info->base_uri, ref, uri, fragment)) {
    return {nullptr, "$ref '" + std::string(ref) + "' is not a valid URI reference"};
  }
  auto it = resources_.find(uri);
  if (it == resources_.end()) {
    return {nullptr, "cannot resolve $ref '" + std::string(ref) + "': no schema with URI '" + uri +
                         "' is loaded"};
  }
  if (!fragment.empty() && fragment.front() != '/') {
    return {nullptr, "$ref '" + std::string(ref) +
                         "' names an anchor; $anchor is not supported, use a JSON pointer"};
  }
  const boost::json::value* target = resolve_pointer(*it->second.schema, fragment);
  if (target == nullptr) {
    return {nullptr, "cannot resolve $ref '" + std::string(ref) + "': no '#" + fragment + "' in '" +
                         uri + "'"};
  }
  if (info(*target) == nullptr) {
    // A pointer into a location that is not a known subschema position (e.g. under an
    // annotation): index it now under its resource's base so its own $refs resolve.
    const SubschemaInfo* resource_info = info(*it->second.schema);
    std::string location = resource_info ? resource_info->location : uri;
    std::string pointer = (resource_info ? resource_info->pointer : std::string()) + fragment;
    index(*target, resource_info ? resource_info->base_uri : uri, location, pointer);
  }
  return {target, {}};
}

const boost::json::value* SchemaIndex::resolve_ref_const(const boost::json::value& from,
                                                         std::string_view ref) const {
  const SubschemaInfo* from_info = info(from);
  if (from_info == nullptr) return nullptr;
  std::string uri;
  std::string fragment;
  if (!split_reference(from_info->base_uri, ref, uri, fragment)) return nullptr;
  auto it = resources_.find(uri);
  if (it == resources_.end() || (!fragment.empty() && fragment.front() != '/')) return nullptr;
  return resolve_pointer(*it->second.schema, fragment);
}

}  // namespace coregate::schema::detail
