// Static API tokens (DESIGN §4): the config holds only SHA-256 hashes, never a token. A request's
// `Authorization: Bearer <token>` is hashed and looked up.
//
// Config ("auth" section):
//   "auth": {"tokens": [
//     {"name": "workflow", "sha256": "<64 hex chars>", "scopes": ["outcomes:write",
//     "outcomes:read"],
//      "types": ["arrangement.promise_to_pay"], "adapters": ["core"]},   // types/adapters optional
//     {"name": "testing", "token_env": "COREGATE_TOKEN", "scopes": ["admin"]}
//   ]}
// "sha256" is the hex SHA-256 of the token's UTF-8 bytes (`printf %s "$TOKEN" | sha256sum`).
// "token_env" names an environment variable holding the token itself: it is read and hashed once
// at load, so the plain token is never kept in the config or in memory afterwards. Exactly one of
// the two per token.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/auth/principal.h"
#include "gateway/config/config_node.h"

namespace coregate::auth {

enum class AuthFailure {
  kNone,
  kMissing,    // no Authorization header
  kMalformed,  // not "Bearer <token>"
  kUnknown,    // no configured token has this hash
};

struct AuthResult {
  const Principal* principal = nullptr;  // owned by the authenticator; valid while it lives
  AuthFailure failure = AuthFailure::kNone;
};

class TokenAuthenticator {
 public:
  // Reads root's optional "auth" section. Throws config::ConfigError (file + key) for a bad hash,
  // an unknown scope, a duplicate name or hash, or an unset token_env variable.
  static TokenAuthenticator from_config(const config::ConfigNode& root);

  // Thread-safe (read-only after construction).
  [[nodiscard]] AuthResult authenticate(std::string_view authorization_header) const;

  size_t token_count() const { return by_hash_.size(); }

 private:
  // Key: the raw 32-byte digest.
  std::unordered_map<std::string, std::shared_ptr<const Principal>> by_hash_;
};

// Raw 32-byte SHA-256 of `text`.
std::string sha256_digest(std::string_view text);

}  // namespace coregate::auth
