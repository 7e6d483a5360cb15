// Templates that build a request from a mapped record: "/accounts/{account_id}/arrangements",
// query values "{since}", header values "{outcome_id}". A placeholder is {name}; "{{" and "}}" are
// literal braces. Values come from a lookup the adapter supplies (record params, body fields,
// the idempotency key ...).
// Stateless; never throws.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::plugins::rest {

// Text for a placeholder name, or nullopt when the record has no usable value.
using TemplateLookup = std::function<std::optional<std::string>(std::string_view name)>;

enum class TemplateEscaping {
  kPathSegment,  // percent-encode everything except RFC 3986 unreserved characters
  kNone,         // as is (header values, query values encoded later)
};

struct [[nodiscard]] Rendered {
  bool ok = false;
  std::string text;
  std::string error;  // "no value for {account_id}", "unclosed {"
};

Rendered render_template(std::string_view text, const TemplateLookup& lookup,
                         TemplateEscaping escaping);

// Why `text` is not a well-formed template (unclosed or empty placeholder), for config checks.
std::optional<std::string> first_template_error(std::string_view text);

// Percent-encodes everything except unreserved characters (RFC 3986 §2.3).
std::string percent_encode(std::string_view text);

}  // namespace coregate::plugins::rest
