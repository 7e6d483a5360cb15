// One OAuth2 token request (RFC 6749 §4.4, client credentials grant) over POCO Net/NetSSL.
// The response's access_token, token_type and expires_in become an IssuedToken.
//
// Thread-safety: a TokenEndpoint is immutable after construction; request() may run on several
// threads at once (each call opens its own session). Errors come back in the result, never as
// exceptions, and never contain the client secret or a token.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace coregate::credentials {

struct TokenEndpointOptions {
  std::string token_url;  // https://auth.example.com/oauth/token
  std::string client_id;
  std::string client_secret;
  std::vector<std::string> scopes;
  std::string audience;         // sent as "audience" when set (Auth0 and others)
  std::string resource;         // sent as "resource" when set (RFC 8707)
  bool secret_in_body = false;  // client_secret_post instead of client_secret_basic
  std::map<std::string, std::string> extra_params;
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;  // PEM bundle for an https token_url; default: the system's CAs
};

struct [[nodiscard]] IssuedToken {
  bool ok = false;
  std::string access_token;
  std::string token_type;  // as issued ("Bearer", sometimes "bearer")
  std::optional<std::chrono::seconds> expires_in;
  std::string error;
};

class TokenEndpoint {
 public:
  explicit TokenEndpoint(TokenEndpointOptions options);
  IssuedToken request() const;

 private:
  TokenEndpointOptions options_;
};

// Parses a token response body; exposed for unit tests and the fuzzer.
IssuedToken parse_token_response(int status, const std::string& body);

}  // namespace coregate::credentials
