// The request fingerprint of the idempotency rules: SHA-256 of the body's canonical form, so that
// two bodies that differ only in member order or insignificant whitespace are the same request.
// Canonical form: no whitespace, object members sorted by key (bytewise), strings and numbers as
// Boost.JSON serializes them (integers exact, doubles shortest round-trip).
#pragma once

#include <array>
#include <boost/json/value.hpp>
#include <string>

namespace coregate::intake {

void append_canonical_json(const boost::json::value& value, std::string& out);
std::string canonical_json(const boost::json::value& value);

std::array<unsigned char, 32> fingerprint_of(const boost::json::value& value);

}  // namespace coregate::intake
