// One keep-alive HTTP/1.1 connection to a webhook receiver (Boost.Beast), with a deadline on
// every POST: connect, send and receive must all finish within `timeout`, else the attempt is a
// timeout and the connection is dropped (the next POST reconnects).
//
// Not thread-safe: one connection per delivery lane.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coregate::triggers {

struct WebhookUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/";
};

// Parses http://host[:port][/path]; nullopt-like empty host on failure.
WebhookUrl parse_webhook_url(std::string_view url);

struct [[nodiscard]] PostResult {
  bool delivered = false;  // a 2xx answer
  int status = 0;          // 0: no answer (connect error, timeout, reset)
  std::string error;       // "HTTP 503", "timeout after 5000 ms", "connection refused"
  std::chrono::milliseconds retry_after{0};
};

class WebhookConnection {
 public:
  WebhookConnection(WebhookUrl url, std::chrono::milliseconds timeout);
  ~WebhookConnection();
  WebhookConnection(const WebhookConnection&) = delete;
  WebhookConnection& operator=(const WebhookConnection&) = delete;

  PostResult post(std::string_view body,
                  const std::vector<std::pair<std::string, std::string>>& headers);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::triggers
