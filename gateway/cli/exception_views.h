// How `coregate exceptions` shows the gateway's exception JSON to a person: the list as an aligned
// table, one exception as labelled text. Tolerant of missing or null fields (shown as "-"), and
// strips control characters so a system's error text cannot drive the terminal.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace coregate::cli {

// The longest last_error shown in a table cell; longer ones end in "...".
inline constexpr std::size_t kLastErrorCellWidth = 60;

// One row per item of GET /v1/exceptions "items": ID CAUSE ADAPTER TYPE SUBJECT ATTEMPTS STATUS
// LAST ERROR, columns padded to their widest cell. Prints "no exceptions" for an empty list.
void print_exception_table(const boost::json::array& items, std::ostream& out);

// GET /v1/exceptions/{id}: the summary fields, the attempts, the resolution, then the posted
// outcome and the mapped request as indented JSON.
void print_exception_detail(const boost::json::object& exception, std::ostream& out);

// A field as display text: strings as they are (control characters made spaces), numbers and
// booleans as JSON, missing or null as "-".
std::string field_text(const boost::json::object& object, std::string_view key);

}  // namespace coregate::cli
