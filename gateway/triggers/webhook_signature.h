// The webhook signature header (DESIGN §4, issue 9):
//   Coregate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
// Receivers recompute the HMAC with their copy of the secret, compare in constant time and refuse
// a t too far from their clock (replay window). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace coregate::triggers {

// Lower-case hex HMAC-SHA256 of `message` under `secret`.
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

// The header value for `body` signed at `unix_seconds`.
std::string webhook_signature(std::string_view secret, int64_t unix_seconds, std::string_view body);

}  // namespace coregate::triggers
