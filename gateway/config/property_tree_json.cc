#include "gateway/config/property_tree_json.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/property_tree/ptree.hpp>
#include <map>

#include "gateway/config/config_error.h"
#include "gateway/secrets/secret_reference.h"  // expand_references

namespace coregate::config {
namespace {

using boost::property_tree::ptree;

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

boost::json::value leaf(const std::string& text, const std::string& file, const std::string& path) {
  // Any "${" is a reference (or "$${", an escaped one): a misspelt "${evn:X}" must fail at load,
  // not reach a target as a literal.
  if (text.find("${") == std::string::npos) {
    return boost::json::string(text);
  }
  secrets::Expansion e = secrets::expand_references(text);
  if (!e.ok) throw ConfigError(file, path, e.error);
  return boost::json::string(e.value);
}

boost::json::value convert(const ptree& node, SourceFormat format, const std::string& file,
                           const std::string& path) {
  if (node.empty()) return leaf(node.data(), file, path);

  bool all_unnamed = true;
  for (const auto& [key, child] : node) {
    if (!key.empty()) all_unnamed = false;
  }
  if (all_unnamed) {
    boost::json::array array;
    size_t index = 0;
    for (const auto& entry : node) {
      array.push_back(
          convert(entry.second, format, file, path + "[" + std::to_string(index++) + "]"));
    }
    return array;
  }

  // Count keys first: XML and INFO express a list by repeating an element.
  std::map<std::string, size_t> counts;
  for (const auto& entry : node) ++counts[entry.first];

  boost::json::object object;
  for (const auto& [key, child] : node) {
    if (key == "<xmlcomment>") continue;
    if (key == "<xmlattr>") {
      for (const auto& [attr, value] : child)
        object[attr] = leaf(value.data(), file, join(path, attr));
      continue;
    }
    if (key.empty()) {
      throw ConfigError(file, path, "mixes named keys and unnamed list items");
    }
    std::string child_path = join(path, key);
    if (counts[key] > 1) {
      if (format == SourceFormat::kJson) throw ConfigError(file, child_path, "duplicate key");
      auto& slot = object[key];
      if (!slot.is_array()) slot = boost::json::array();
      slot.as_array().push_back(convert(
          child, format, file, child_path + "[" + std::to_string(slot.as_array().size()) + "]"));
      continue;
    }
    object[key] = convert(child, format, file, child_path);
  }
  return object;
}

}  // namespace

boost::json::value property_tree_to_json(const ptree& tree, SourceFormat format,
                                         const std::string& file) {
  if (tree.empty() && tree.data().empty()) return boost::json::object();
  return convert(tree, format, file, "");
}

}  // namespace coregate::config
