#include "gateway/config/config_loader.h"

#include <boost/property_tree/info_parser.hpp>
#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <fstream>
#include <memory>
#include <sstream>

#include "gateway/config/property_tree_json.h"

namespace coregate::config {
namespace {

namespace pt = boost::property_tree;

ConfigNode make_node(boost::json::value value, std::string file) {
  return ConfigNode(std::make_shared<const boost::json::value>(std::move(value)), std::move(file));
}

// The element below the XML document node: the first non-comment child.
const pt::ptree& xml_root(const pt::ptree& document, const std::string& file) {
  const pt::ptree* root = nullptr;
  for (const auto& [key, child] : document) {
    if (key == "<xmlcomment>") continue;
    if (root != nullptr) throw ConfigError(file, "", "an XML config has exactly one root element");
    root = &child;
  }
  if (root == nullptr) throw ConfigError(file, "", "the XML document has no root element");
  return *root;
}

std::string parse_error_text(const pt::file_parser_error& e) {
  std::string text = e.message();
  if (e.line() > 0) text = "line " + std::to_string(e.line()) + ": " + text;
  return "cannot parse: " + text;
}

}  // namespace

LoadedConfig load_config_file(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(name, "", "cannot open the config file");
  const std::string extension = file.extension().string();
  pt::ptree tree;
  boost::json::value value;
  try {
    if (extension == ".json") {
      pt::read_json(in, tree);
      value = property_tree_to_json(tree, SourceFormat::kJson, name);
    } else if (extension == ".xml") {
      pt::read_xml(in, tree, pt::xml_parser::trim_whitespace | pt::xml_parser::no_comments);
      value = property_tree_to_json(xml_root(tree, name), SourceFormat::kXml, name);
    } else if (extension == ".info") {
      pt::read_info(in, tree);
      value = property_tree_to_json(tree, SourceFormat::kInfo, name);
    } else {
      throw ConfigError(
          name, "",
          "unsupported config format '" + extension + "' (expected .json, .xml or .info)");
    }
  } catch (const pt::file_parser_error& e) {
    throw ConfigError(name, "", parse_error_text(e));
  }
  if (!value.is_object())
    throw ConfigError(name, "", "the config must be an object at the top level");
  return LoadedConfig{make_node(std::move(value), name), file};
}

ConfigNode config_from_json_text(std::string_view json_text, std::string file_label) {
  std::istringstream in{std::string(json_text)};
  pt::ptree tree;
  try {
    pt::read_json(in, tree);
  } catch (const pt::file_parser_error& e) {
    throw ConfigError(file_label, "", parse_error_text(e));
  }
  boost::json::value value = property_tree_to_json(tree, SourceFormat::kJson, file_label);
  if (!value.is_object())
    throw ConfigError(file_label, "", "the config must be an object at the top level");
  return make_node(std::move(value), std::move(file_label));
}

}  // namespace coregate::config
