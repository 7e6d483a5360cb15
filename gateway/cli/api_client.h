// A small synchronous HTTP/1.1 client for CLI verbs that talk to a running gateway's API
// (`coregate exceptions ...`). Plain http only (TLS terminates in front of an operator's tunnel or
// is added here later); IPv4, IPv6 ("http://[::1]:8080") and host names; one connection per
// request; every request bounded by one overall timeout (resolve + connect + write + read).
//
// Not thread-safe: one ApiClient per thread. Never throws on the request path: every failure
// (bad address, refused, timeout, malformed answer) comes back in ApiResult::error, naming the URL.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::cli {

// Where the gateway listens: parsed from "http://host[:port][/base/path]".
struct ApiEndpoint {
  std::string host;       // without IPv6 brackets
  std::string port;       // "80" when the URL names none
  std::string base_path;  // "" or "/base/path" (no trailing '/'); prefixed to every target
  std::string url;        // as given, for messages
};

// nullopt with `error` set when the URL is not http://host[:port][/path] (https, user info,
// a query or fragment, a bad port are refused with the reason).
std::optional<ApiEndpoint> parse_api_url(std::string_view url, std::string& error);

struct ApiAnswer {
  unsigned status = 0;
  std::string content_type;  // media type only, lower-cased, without parameters
  std::string body;
};

struct [[nodiscard]] ApiResult {
  std::optional<ApiAnswer> answer;  // set when an HTTP answer came back (any status)
  std::string error;                // set otherwise: what failed and where
  bool ok() const { return answer.has_value(); }
};

class ApiClient {
 public:
  // `bearer_token` goes in every request's Authorization header; empty sends none.
  ApiClient(ApiEndpoint endpoint, std::string bearer_token, std::chrono::milliseconds timeout);

  // GET base_path + target (target begins with '/', may carry an encoded query).
  ApiResult get(std::string_view target);
  // POST a JSON body.
  ApiResult post_json(std::string_view target, std::string body);

  const ApiEndpoint& endpoint() const { return endpoint_; }

 private:
  ApiResult send(bool post, std::string_view target, std::string body);

  ApiEndpoint endpoint_;
  std::string bearer_token_;
  std::chrono::milliseconds timeout_;
};

}  // namespace coregate::cli
