// RFC 8288 Link header parsing, for paging a polled API (`Link: <...?page=2>; rel="next"`).
// Stateless; safe from any thread. Never throws: malformed parts are skipped.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::plugins::rest {

struct LinkValue {
  std::string target;             // the URI reference between < and >
  std::vector<std::string> rels;  // rel="next prev" gives {"next", "prev"}, lower-cased
};

// Every link in one header value (several headers may be joined with ",").
std::vector<LinkValue> parse_link_header(std::string_view value);

// The target of the first link with relation `rel` ("next"), if any.
std::optional<std::string> link_with_rel(std::string_view header_value, std::string_view rel);

}  // namespace coregate::plugins::rest
