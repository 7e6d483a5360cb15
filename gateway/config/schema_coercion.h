// PropertyTree reads every leaf as text, but a plugin declares its config with a JSON Schema and
// expects {"concurrency": 8}, not {"concurrency": "8"}. This restores the types the schema asks for
// before the block is validated and handed to the plugin.
#pragma once

#include <boost/json/value.hpp>

namespace coregate::config {

// Returns `value` with text converted where `schema` (a JSON Schema object) expects an integer,
// number, boolean, null, object or array and the text is a valid spelling of one. Follows
// properties, patternProperties are not followed, additionalProperties (as a schema), items,
// prefixItems, allOf/anyOf/oneOf branches, and local "$ref": "#/$defs/..." references. Text that
// does not convert is left as it is, for the validator to report with its path.
boost::json::value coerce_to_schema(const boost::json::value& value,
                                    const boost::json::value& schema);

}  // namespace coregate::config
