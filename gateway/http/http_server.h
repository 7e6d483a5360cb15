// HTTP/1.1 server on Boost.Beast/Asio: a pool of I/O threads sharing one io_context (one per
// core by default), one strand per connection, keep-alive, header/body limits, idle and read
// timeouts, and graceful shutdown. Handlers answer through a Responder, possibly later and from
// another thread, so nothing here blocks on disk.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "gateway/http/listen_address.h"
#include "gateway/http/router.h"

namespace coregate::http {

struct HttpServerOptions {
  ListenAddress listen{"127.0.0.1", 8080};
  unsigned threads = 0;               // 0: one per core (std::thread::hardware_concurrency)
  uint32_t header_limit = 16 * 1024;  // bytes of request line + headers; past it 431
  uint64_t body_limit = 1024 * 1024;  // bytes of body; past it 413
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};  // keep-alive wait for headers
  std::chrono::milliseconds read_timeout{
      std::chrono::seconds(30)};  // to receive a body / send a reply
  std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};  // graceful shutdown bound
  // HTTP/1.1 pipelining: requests read ahead per connection while earlier ones are being answered
  // (answers always go out in request order). 1 disables pipelining.
  size_t max_pipeline = 16;
};

class HttpServer {
 public:
  // The router must be complete; it is shared read-only by every I/O thread.
  HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router);
  ~HttpServer();  // stop() + wait()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Resolves, binds and listens, then starts the I/O threads. Throws std::runtime_error naming the
  // address when binding fails (in use, not local, bad name). Call once.
  void start();

  // The port actually bound (meaningful after start(); differs from options when port was 0).
  uint16_t bound_port() const;
  // "127.0.0.1:41234" / "[::1]:41234".
  std::string bound_endpoint() const;

  // Graceful shutdown, safe from any thread (not from a handler), idempotent: stops accepting,
  // closes idle connections, lets requests being handled finish (their connections then close),
  // and after drain_timeout aborts whatever is left. Returns when the I/O threads have exited.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::http
