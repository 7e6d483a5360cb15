// application/problem+json responses (RFC 9457). Every error this API sends goes through here so
// the shape is uniform: {type, title, status, detail, ...extension members}.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "gateway/http/http_types.h"

namespace coregate::http {

// "urn:coregate:problem:<slug>": an absolute URI that identifies the problem kind and is listed in
// docs/openapi.yaml; slugs are stable (clients may switch on them).
std::string problem_type_uri(std::string_view slug);

// Builds the response. `extensions` are merged as top-level members (e.g. "errors", "known_types").
Response problem_response(Status status, std::string_view slug, std::string_view title,
                          std::string_view detail, boost::json::object extensions = {});

// A JSON response with the given status; body is serialized compactly.
Response json_response(Status status, const boost::json::value& body);

}  // namespace coregate::http
