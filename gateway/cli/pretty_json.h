// Indented JSON text for people reading a terminal (2 spaces a level, members in their order).
// For machines, the CLI prints boost::json::serialize() instead.
#pragma once

#include <boost/json/value.hpp>

#include <ostream>

namespace coregate::cli {

// Writes `value` with nested lines indented by 2 * `indent` spaces more than the first line.
// No trailing newline.
void print_pretty_json(std::ostream& out, const boost::json::value& value, int indent = 0);

}  // namespace coregate::cli
