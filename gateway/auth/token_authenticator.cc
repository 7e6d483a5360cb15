#include "gateway/auth/token_authenticator.h"

#include <openssl/sha.h>

#include <cstdlib>
#include <set>

namespace coregate::auth {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode_hex_digest(std::string_view hex, std::string& out) {
  if (hex.size() != 64) return false;
  out.assign(32, '\0');
  for (size_t i = 0; i < 32; ++i) {
    const int hi = hex_digit(hex[2 * i]);
    const int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return true;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    const char y = (b[i] >= 'A' && b[i] <= 'Z') ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string sha256_digest(std::string_view text) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

TokenAuthenticator TokenAuthenticator::from_config(const config::ConfigNode& root) {
  TokenAuthenticator result;
  auto section = root.child_if("auth");
  if (!section) return result;
  section->allow_only({"tokens"});
  std::set<std::string> names;
  for (const auto& token : section->items("tokens")) {
    token.allow_only({"name", "sha256", "token_env", "scopes", "types", "adapters"});
    auto principal = std::make_shared<Principal>();
    principal->name = token.string("name");
    if (principal->name.empty()) token.fail("name", "must not be empty");
    if (!names.insert(principal->name).second)
      token.fail("name", "duplicate token name '" + principal->name + "'");
    std::string digest;
    if (token.has("sha256") == token.has("token_env")) {
      token.fail("sha256",
                 "give exactly one of \"sha256\" (hex SHA-256 of the token) or \"token_env\"");
    }
    if (token.has("sha256")) {
      if (!decode_hex_digest(token.string("sha256"), digest)) {
        token.fail("sha256", "must be 64 hex characters (the SHA-256 of the token)");
      }
    } else {
      const std::string variable = token.string("token_env");
      const char* value = std::getenv(variable.c_str());
      if (value == nullptr || *value == '\0') {
        token.fail("token_env", "environment variable " + variable + " is not set");
      }
      digest = sha256_digest(value);
    }
    for (const auto& name : token.strings_or("scopes", {})) {
      const auto scope = parse_scope(name);
      if (!scope) {
        token.fail("scopes", "unknown scope '" + name +
                                 "' (known: outcomes:write, outcomes:read, triggers:read, "
                                 "exceptions:manage, admin)");
      }
      principal->scopes |= static_cast<uint32_t>(*scope);
    }
    if (principal->scopes == 0) token.fail("scopes", "give at least one scope");
    principal->types = token.strings_or("types", {});
    principal->adapters = token.strings_or("adapters", {});
    if (!result.by_hash_.emplace(digest, std::move(principal)).second) {
      token.fail(token.has("sha256") ? "sha256" : "token_env",
                 "the same token is configured twice");
    }
  }
  return result;
}

AuthResult TokenAuthenticator::authenticate(std::string_view header) const {
  AuthResult result;
  if (header.empty()) {
    result.failure = AuthFailure::kMissing;
    return result;
  }
  constexpr std::string_view kBearer = "bearer ";
  if (header.size() <= kBearer.size() ||
      !iequals_ascii(header.substr(0, kBearer.size()), kBearer)) {
    result.failure = AuthFailure::kMalformed;
    return result;
  }
  std::string_view token = header.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) {
    result.failure = AuthFailure::kMalformed;
    return result;
  }
  // Looked up by digest: timing reveals nothing about the token beyond its (secret) hash.
  const auto found = by_hash_.find(sha256_digest(token));
  if (found == by_hash_.end()) {
    result.failure = AuthFailure::kUnknown;
    return result;
  }
  result.principal = found->second.get();
  return result;
}

}  // namespace coregate::auth
