// Converts a Boost.PropertyTree (read from a JSON, XML or INFO file) into one JSON value so the
// rest of the gateway sees a single shape whatever format the operator chose.
//
// PropertyTree keeps every leaf as text; the typed accessors of ConfigNode (and schema coercion
// for adapter blocks) turn text into numbers and booleans where a number or boolean is expected.
// Secret references are expanded here, once, at load.
#pragma once

#include <boost/json/value.hpp>
#include <boost/property_tree/ptree_fwd.hpp>
#include <string>

namespace coregate::config {

enum class SourceFormat { kJson, kXml, kInfo };

// Throws ConfigError naming `file` and the key path for duplicate keys (JSON) and bad secret
// references. For XML the caller passes the tree below the document's root element; attributes
// (<xmlattr>) become members and comments are dropped. In XML and INFO a repeated key becomes an
// array; in JSON an object whose children have empty keys is an array.
boost::json::value property_tree_to_json(const boost::property_tree::ptree& tree,
                                         SourceFormat format, const std::string& file);

}  // namespace coregate::config
