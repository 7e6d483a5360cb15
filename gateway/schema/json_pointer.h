// RFC 6901 JSON pointers: escaping for error messages and resolution for $ref fragments.
#pragma once

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace coregate::schema::detail {

// Appends "/" + token with "~" -> "~0" and "/" -> "~1".
void append_pointer_token(std::string& pointer, std::string_view token);

// Resolves `pointer` (already percent-decoded) inside `root`. nullptr when a step is missing or
// the pointer is malformed.
const boost::json::value* resolve_pointer(const boost::json::value& root, std::string_view pointer);

// Decodes %XX escapes (URI fragments). Returns false on a malformed escape.
[[nodiscard]] bool percent_decode(std::string_view in, std::string& out);

}  // namespace coregate::schema::detail
