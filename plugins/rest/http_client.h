// The adapter's HTTP(S) client on POCO Net/NetSSL: one origin (scheme, host, port), a pool of
// keep-alive sessions sized to the adapter's concurrency, connect and read timeouts, an optional
// proxy, TLS 1.2+ with certificate and host-name verification (OpenSSL's own checks, so an IP
// address or a name both work), SNI, a custom CA bundle, a client certificate, and a cap on the
// response body.
//
// send() tells apart a request that certainly never left (connect, TLS) from one that may have
// reached the target (a failure while sending or waiting), because the write's classification
// depends on exactly that.
//
// Thread-safety: send() may be called from many threads at once; each call leases its own session.
// Errors: send() never throws; construction throws std::runtime_error for a bad TLS setup.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/Net/Context.h>

#include "plugins/rest/classification.h"

namespace coregate::plugins::rest {

struct TlsOptions {
  bool verify = true;
  std::string ca_file;    // PEM bundle; empty = the system's CAs
  std::string cert_file;  // client certificate (PEM) for mTLS
  std::string key_file;   // its private key (PEM, unencrypted)
  bool tls13_only = false;
};

struct ProxyOptions {
  std::string host;  // empty = no proxy
  uint16_t port = 0;
  std::string username, password;
};

struct ClientOptions {
  bool https = false;
  std::string host;
  uint16_t port = 0;
  size_t pool_size = 8;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{30000};
  size_t max_response_bytes = 1 << 20;
  std::chrono::seconds keep_alive_idle{30};
  TlsOptions tls;
  ProxyOptions proxy;
};

struct OutgoingRequest {
  std::string method;  // "POST"
  std::string target;  // path and query, e.g. "/accounts/A1/arrangements?x=1"
  HeaderList headers;  // as sent (case kept)
  std::string body;
  bool has_body = false;
};

struct [[nodiscard]] Exchange {
  enum class Outcome { kAnswered, kNotSent, kAfterSend };
  Outcome outcome = Outcome::kNotSent;
  HttpAnswer answer;  // kAnswered
  std::string error;  // kNotSent / kAfterSend: what went wrong
};

class HttpClient {
 public:
  explicit HttpClient(ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request/answer. `read_budget` bounds the wait for the answer (the smaller of the read
  // timeout and what is left before the hook's deadline).
  Exchange send(const OutgoingRequest& request, std::chrono::milliseconds read_budget);

  const ClientOptions& options() const { return options_; }
  // "https://host:port", for messages and redirect checks.
  std::string origin() const;
  // Sessions opened so far (a keep-alive check for tests and the benchmark).
  uint64_t connections_opened() const;

 private:
  class Session;
  std::unique_ptr<Session> acquire();
  void release(std::unique_ptr<Session> session);

  ClientOptions options_;
  Poco::Net::Context::Ptr context_;  // null for plain HTTP
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Session>> idle_;
  uint64_t opened_ = 0;
};

}  // namespace coregate::plugins::rest
