// The way a handler answers. A handler may answer at once or later from any thread (the intake
// handler answers from the store's writer thread after the group-commit fsync), so I/O threads
// never block on disk.
#pragma once

#include <functional>
#include <memory>

#include "gateway/http/http_types.h"

namespace coregate::http {

// Delivers one response to the connection that received the request.
// - Copyable; all copies share one answer slot: the first send() wins, later ones are ignored.
// - Thread-safe: send() may be called from any thread; the write happens on the connection's
// strand.
// - If every copy is destroyed without a send(), the client gets a 500 problem (a handler bug must
//   not leave a connection hanging).
// - While an answer is pending the server's I/O context stays alive, so graceful shutdown waits for
//   it (bounded by the server's drain deadline).
// - If the connection is already gone, send() drops the response.
class Responder {
 public:
  // The sink receives the finished response exactly once. Called by the server, not by handlers.
  using Sink = std::function<void(Response&&)>;
  explicit Responder(Sink sink);

  void send(Response response) const;
  bool answered() const;

 private:
  struct Slot;
  std::shared_ptr<Slot> slot_;
};

}  // namespace coregate::http
