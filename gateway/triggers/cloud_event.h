// CloudEvents 1.0 (https://github.com/cloudevents/spec): the envelope of every trigger and
// outcome result this gateway emits (structured JSON mode), and the parser for events pushed to
// POST /v1/inbound/{adapter} in structured mode (Content-Type application/cloudevents+json) or
// binary mode (ce-* headers, the body is the data).
//
// The parsers take outside input: they never throw, bound their work by the input size, and say
// precisely what is wrong (the inbound route answers 400 with that text).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coregate::triggers {

struct CloudEvent {
  std::string specversion = "1.0";
  std::string id;
  std::string source;
  std::string type;
  std::optional<std::string> subject;
  std::optional<std::string> time;  // RFC 3339
  std::optional<std::string> datacontenttype;
  std::optional<std::string> dataschema;
  boost::json::object extensions;          // other context attributes (string values)
  std::optional<boost::json::value> data;  // JSON data
  std::optional<std::string> data_base64;  // non-JSON data, base64 (structured mode)
};

// Structured-mode JSON text of `event` (compact, attributes first, then data).
std::string to_structured_json(const CloudEvent& event);

struct [[nodiscard]] CloudEventParse {
  bool ok = false;
  CloudEvent event;
  std::string error;  // what is wrong, when !ok
};

// Structured mode: `body` is one JSON object (UTF-8; duplicate members refused).
CloudEventParse parse_structured_cloudevent(std::string_view body);

// Binary mode: `headers` are (name, value) pairs as received (any case); the ce-* ones are the
// context attributes, percent-decoded (CloudEvents HTTP binding 3.1.3.2) and checked to be UTF-8.
// Content-Type becomes datacontenttype; a JSON content type makes `body` the JSON data, anything
// else is kept as data_base64.
CloudEventParse parse_binary_cloudevent(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body);

enum class CloudEventMode { kNone, kStructured, kBinary };
// Which mode a request uses: structured when Content-Type is application/cloudevents+json (with
// or without parameters), binary when any ce-* header is present (so a binary event that lacks
// ce-specversion is refused as such, not handed to the adapter), else none.
CloudEventMode detect_cloudevent_mode(std::string_view content_type, bool has_ce_header);

// Decodes %XX escapes; nullopt for a '%' not followed by two hex digits. '+' stays '+'.
std::optional<std::string> percent_decode(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// "2026-03-02T00:07:31.123Z".
std::string rfc3339_ms(int64_t unix_ms);

// True for an RFC 3339 date-time ("2026-03-02T00:07:31Z", fraction and offset allowed).
bool is_rfc3339(std::string_view text);

// The instant an RFC 3339 date-time names, in unix milliseconds (fraction cut to milliseconds);
// nullopt when `text` is not one.
std::optional<int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace coregate::triggers
