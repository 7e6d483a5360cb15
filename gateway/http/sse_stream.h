// Responses whose body is written over time (server-sent events, `text/event-stream`). The rest of
// this API answers with whole bodies; a streaming endpoint instead sends a HEAD built by
// make_stream_response() through its Responder, keeps the returned StreamChannel, and writes
// chunks into it for as long as it likes. The server sends the head without Content-Length and
// `Connection: close` (the body ends when the connection does), then writes whatever the channel
// queues, in order, on the connection's strand.
//
// Ownership: the producer holds the channel (shared_ptr); the server holds it while the connection
// lives. Thread-safety: every StreamChannel member is thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/http/http_types.h"

namespace coregate::http {

class StreamChannel {
 public:
  // Queues bytes for the client. Returns false once the stream is over (client gone, server
  // stopping, or close() called): the producer should then drop the channel.
  bool write(std::string bytes);
  // Ends the response after the queued bytes are written.
  void close();
  // Bytes queued and not yet handed to the socket: a producer stops writing above its bound
  // (a slow client must not grow the server's memory without limit).
  size_t pending_bytes() const;
  bool closed() const;
  // True once a connection took the stream and sent its head. A channel never attached (the
  // client left before the head was sent) stays unattached: producers drop it after a while.
  bool attached() const;

  // --- server side (http_server.cc) ---
  // `wake` is called (from any thread, possibly under no lock of the caller's) when bytes are
  // queued or close() is requested.
  void attach(std::function<void()> wake);
  // Takes everything queued. `finished` is set when close() was requested and nothing is left.
  std::string take(bool& finished);
  // The connection is gone: later write() calls return false.
  void mark_closed();

 private:
  mutable std::mutex mutex_;
  std::string queued_;
  std::function<void()> wake_;
  bool attached_ = false;
  bool close_requested_ = false;
  bool closed_ = false;
};

// Marks `head` (status and headers; its body is ignored) as the start of a stream fed by
// `channel`. Send the result through the request's Responder.
Response make_stream_response(Response head, const std::shared_ptr<StreamChannel>& channel);

// Server side: whether `response` is a stream head, and (removing the mark) its channel; nullptr
// when the producer has already dropped the channel.
bool is_stream_response(const Response& response);
std::shared_ptr<StreamChannel> take_stream(Response& response);

}  // namespace coregate::http
