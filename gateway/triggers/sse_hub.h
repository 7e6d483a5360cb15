// GET /v1/triggers/stream: server-sent events (text/event-stream) fed from the trigger log by one
// thread. Each event is
//   id: <seq>\nevent: <CloudEvent type>\ndata: <structured CloudEvent JSON>\n\n
// so a client that reconnects with Last-Event-ID: <seq> gets exactly the events after it. A
// comment line (": heartbeat") goes out when a stream has been quiet for the heartbeat interval,
// so proxies keep the connection and clients notice a dead one.
//
// Backpressure: a client whose unsent bytes pass 1 MiB is skipped until it catches up; the HTTP
// server drops a client that stops reading for its write timeout.
//
// Lifetime: store and signal outlive the hub. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/http/sse_stream.h"
#include "gateway/triggers/log_signal.h"
#include "gateway/triggers/trigger_store.h"

namespace coregate::triggers {

class SseHub {
 public:
  SseHub(TriggerStore& store, LogSignal& signal, std::chrono::milliseconds heartbeat);
  ~SseHub();  // stop()

  void start();
  void stop();  // closes every stream
  // Streams the events after `after` (their types in `types`, all when empty) to `channel`.
  void add(std::shared_ptr<http::StreamChannel> channel, int64_t after,
           std::vector<std::string> types);
  size_t clients() const;

 private:
  struct Client {
    std::shared_ptr<http::StreamChannel> channel;
    int64_t after = 0;
    std::vector<std::string> types;
    std::chrono::steady_clock::time_point added;
    std::chrono::steady_clock::time_point last_write;
  };
  void run();
  // Writes what is due; false when the client is gone.
  bool feed(Client& client, std::chrono::steady_clock::time_point now);

  TriggerStore& store_;
  LogSignal& signal_;
  std::chrono::milliseconds heartbeat_;
  mutable std::mutex mutex_;
  std::vector<Client> incoming_;
  size_t count_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace coregate::triggers
