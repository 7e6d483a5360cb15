// Outbound HMAC request signing over a configurable canonical string, for targets that
// authenticate requests by signature instead of (or besides) a token.
//
// Placeholders in `canonical`: {method}, {path} (path and query as sent), {timestamp} (Unix
// seconds), {body}, {body_sha256} (lower-case hex), {idempotency_key}. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugins/rest/hmac.h"

namespace coregate::plugins::rest {

struct SigningRules {
  std::string secret;
  DigestAlgorithm algorithm = DigestAlgorithm::kSha256;
  DigestEncoding encoding = DigestEncoding::kHex;
  std::string canonical = "{method}\n{path}\n{timestamp}\n{body_sha256}";
  std::string signature_header = "X-Signature";
  std::string prefix;                            // put before the encoded MAC ("sha256=")
  std::string timestamp_header = "X-Timestamp";  // "" sends no timestamp header
};

struct SigningInput {
  std::string_view method;
  std::string_view path;
  std::string_view body;
  std::string_view idempotency_key;
  int64_t unix_seconds = 0;
};

std::string signing_canonical(const SigningRules& rules, const SigningInput& input);

// The headers to add: the signature and (when configured) the timestamp.
std::vector<std::pair<std::string, std::string>> sign_request(const SigningRules& rules,
                                                              const SigningInput& input);

}  // namespace coregate::plugins::rest
