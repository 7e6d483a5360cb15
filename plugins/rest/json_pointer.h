// RFC 6901 JSON pointers into response bodies: the system reference ("/id", "/data/0/ref"), a
// poll page's records ("/items") and next cursor ("/meta/next_cursor").
// Stateless; never throws.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::plugins::rest {

// The value at `pointer` ("" is the whole document), or nullptr when there is none or the pointer
// is malformed.
const boost::json::value* find_at(const boost::json::value& document, std::string_view pointer);

// A scalar at `pointer` as text: strings as they are, numbers and booleans as JSON writes them.
// nullopt for a missing value, null, an object or an array.
std::optional<std::string> scalar_text(const boost::json::value& document,
                                       std::string_view pointer);

// A scalar value as text (as above), nullopt for null/object/array.
std::optional<std::string> scalar_text(const boost::json::value& value);

// True when `pointer` is "" or a well-formed RFC 6901 pointer ("/a/b~1c").
bool is_valid_pointer(std::string_view pointer);

}  // namespace coregate::plugins::rest
