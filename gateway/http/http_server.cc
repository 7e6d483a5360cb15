#include "gateway/http/http_server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "gateway/http/problem.h"
#include "gateway/http/sse_stream.h"

namespace coregate::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

class Session;

// What every connection shares with the server. Outlives every Session: stop() waits until the
// registry is empty (or the drain deadline passed and the io_context was stopped and joined).
struct Shared {
  HttpServerOptions options;
  std::shared_ptr<const Router> router;
  std::atomic<bool> stopping{false};

  std::mutex mutex;
  std::condition_variable drained;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  // Last member: destroyed first, so sessions it still holds unregister while the mutex lives.
  net::io_context io;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  ~Session() {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
    if (shared_.sessions.empty()) shared_.drained.notify_all();
  }

  void start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

  // From any thread: close now if idle; else stop reading, answer what was received (the last
  // answer carries Connection: close), then close.
  void begin_shutdown() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      self->shutting_down_ = true;
      if (self->streaming_) return self->close();  // a stream has no natural end to wait for
      if (self->pending_.empty() && !self->writing_) return self->close();
      if (self->reading_) {
        // Ends the pending read with EOF without disturbing a write in progress.
        error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_receive, ignored);
      }
    });
  }

 private:
  // One received request awaiting (or holding) its answer. Answers go out in request order
  // (HTTP/1.1 pipelining), whatever order the handlers finish in.
  struct Slot {
    std::optional<Response> response;
    unsigned version = 11;
    bool keep_alive = true;
  };

  bool may_read() const {
    return !closed_ && !reading_ && !read_closed_ && !shutting_down_ && !force_close_ &&
           pending_.size() < shared_.options.max_pipeline;
  }

  void read_header() {
    if (!may_read()) return;
    reading_ = true;
    parser_.emplace();
    parser_->header_limit(shared_.options.header_limit);
    parser_->body_limit(shared_.options.body_limit);
    if (pending_.empty() && !writing_) stream_.expires_after(shared_.options.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(error_code ec) {
    if (ec) return on_read_error(ec);
    const auto expect = parser_->get()[bhttp::field::expect];
    if (beast::iequals(expect, "100-continue") && !parser_->is_done() && !writing_) {
      // Clients such as curl wait for this before sending bodies over 1 KiB.
      continue_.emplace(bhttp::status::continue_, parser_->get().version());
      writing_ = true;
      stream_.expires_after(shared_.options.read_timeout);
      bhttp::async_write(stream_, *continue_, [self = shared_from_this()](error_code wec, size_t) {
        self->writing_ = false;
        if (wec) return self->close();
        self->read_body();
        self->maybe_write();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    if (pending_.empty() && !writing_) stream_.expires_after(shared_.options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](error_code ec, size_t) {
                        if (ec) return self->on_read_error(ec);
                        self->reading_ = false;
                        self->dispatch();
                      });
  }

  void on_read_error(error_code ec) {
    reading_ = false;
    read_closed_ = true;
    if (streaming_) return close();  // the client left the stream
    if (ec == bhttp::error::body_limit) {
      return reject(Status::payload_too_large, "body-too-large", "Payload Too Large",
                    "The request body exceeds the limit of " +
                        std::to_string(shared_.options.body_limit) + " bytes.");
    }
    if (ec == bhttp::error::header_limit) {
      return reject(Status::request_header_fields_too_large, "headers-too-large",
                    "Request Header Fields Too Large",
                    "The request line and headers exceed the limit of " +
                        std::to_string(shared_.options.header_limit) + " bytes.");
    }
    if (ec == bhttp::error::bad_value || ec == bhttp::error::bad_line_ending) {
      return reject(
          Status::bad_request, "malformed-http", "Bad Request",
          "A header line holds a character HTTP does not allow there (a control character, or a "
          "CR or LF that is not part of a CRLF line end).");
    }
    if (ec.category() == make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
        ec != bhttp::error::need_more) {
      return reject(Status::bad_request, "malformed-http", "Bad Request",
                    "The request is not valid HTTP/1.1: " + ec.message() + ".");
    }
    // End of stream, timeout, reset, shutdown: answer what was received, then close.
    if (pending_.empty() && !writing_) close();
  }

  // Answers a request that could not be read completely (after the answers before it), then closes.
  void reject(Status status, std::string_view slug, std::string_view title, std::string detail) {
    force_close_ = true;
    pending_.push_back(Slot{problem_response(status, slug, title, detail), 11, false});
    maybe_write();
  }

  void dispatch() {
    if (streaming_) return watch_client();  // a request pipelined behind a stream is dropped
    Request message = parser_->release();
    Slot slot;
    slot.version = message.version();
    slot.keep_alive = message.keep_alive();
    if (!slot.keep_alive) read_closed_ = true;
    pending_.push_back(std::move(slot));
    const uint64_t sequence = next_sequence_++;
    auto self = shared_from_this();
    auto guard = net::make_work_guard(shared_.io);
    Responder responder([self, guard, sequence](Response&& response) mutable {
      net::post(self->stream_.get_executor(),
                [self, sequence, response = std::move(response)]() mutable {
                  self->deliver(sequence, std::move(response));
                });
      guard.reset();
    });
    shared_.router->dispatch(std::move(message), std::move(responder));
    read_header();  // pipelining: the next request may already be on its way
  }

  void deliver(uint64_t sequence, Response&& response) {
    if (closed_) return;
    const uint64_t index = sequence - first_sequence_;
    if (index >= pending_.size()) return;
    pending_[index].response.emplace(std::move(response));
    maybe_write();
  }

  // Appends one response, serialized, to out_. Hand-rolled rather than Beast's serializer so that
  // several pipelined answers that are ready together go out in ONE write (one syscall).
  static void serialize(const Response& response, unsigned version, std::string& out) {
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(response.result_int());
    out += ' ';
    const auto reason = response.reason();
    out.append(reason.data(), reason.size());
    out += "\r\n";
    for (const auto& field : response) {
      out.append(field.name_string().data(), field.name_string().size());
      out += ": ";
      out.append(field.value().data(), field.value().size());
      out += "\r\n";
    }
    out += "\r\n";
    out += response.body();
  }

  void maybe_write() {
    if (closed_ || writing_ || pending_.empty() || !pending_.front().response) return;
    out_.clear();
    size_t count = 0;
    bool close_after = false;
    for (size_t i = 0; i < pending_.size() && pending_[i].response && !close_after; ++i) {
      Slot& slot = pending_[i];
      if (is_stream_response(*slot.response)) {
        if (i == 0) return start_stream();
        break;  // the answers before the stream go out first
      }
      const bool last_pending = i + 1 == pending_.size();
      close_after =
          (force_close_ && last_pending) || !slot.keep_alive || (shutting_down_ && last_pending);
      Response& response = *slot.response;
      response.version(slot.version);
      response.keep_alive(!close_after);
      response.set(bhttp::field::server, "coregate");
      response.prepare_payload();
      serialize(response, slot.version, out_);
      ++count;
    }
    writing_ = true;
    stream_.expires_after(shared_.options.read_timeout);
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this(), count, close_after](error_code ec, size_t) {
                       self->on_write(ec, count, close_after);
                     });
  }

  void on_write(error_code ec, size_t count, bool close_after) {
    writing_ = false;
    for (size_t i = 0; i < count && !pending_.empty(); ++i) pending_.pop_front();
    first_sequence_ += count;
    if (ec) return close();
    if (close_after) return force_close_ ? linger_close() : close();
    if (pending_.empty()) {
      if (read_closed_ || shutting_down_) return close();
      if (!reading_) return read_header();
      stream_.expires_after(shared_.options.idle_timeout);  // back to waiting for the client
      return;
    }
    read_header();
    maybe_write();
  }

  // Half-close and drain what the client still sends (e.g. the rest of a rejected body) so the
  // kernel does not answer it with a reset that could destroy our response in flight.
  void linger_close() {
    if (drain_.empty()) {
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      stream_.expires_after(std::chrono::seconds(2));  // total bound, not per read
      drain_.resize(16 * 1024);
    }
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec) return self->close();
                              self->linger_close();
                            });
  }

  // Streaming (sse_stream.h): sends the head, then whatever the channel queues, until the channel
  // or the connection closes. Requests after the stream are not read; a read keeps watching for
  // the client's EOF so a departed client frees its stream.
  void start_stream() {
    Slot slot = std::move(pending_.front());
    pending_.clear();  // anything pipelined behind a stream is never answered
    first_sequence_ = next_sequence_;
    stream_channel_ = take_stream(*slot.response);
    if (!stream_channel_) return close();
    streaming_ = true;
    read_closed_ = true;
    Response& head = *slot.response;
    head.version(slot.version);
    head.keep_alive(false);
    head.set(bhttp::field::server, "coregate");
    head.erase(bhttp::field::content_length);
    head.body().clear();
    out_.clear();
    serialize(head, slot.version, out_);
    writing_ = true;
    stream_.expires_after(shared_.options.read_timeout);
    net::async_write(
        stream_, net::buffer(out_), [self = shared_from_this()](error_code ec, size_t) {
          self->writing_ = false;
          if (ec) return self->close();
          self->stream_.expires_never();
          std::weak_ptr<Session> weak = self;
          self->stream_channel_->attach([weak] {
            if (auto session = weak.lock()) {
              net::post(session->stream_.get_executor(), [session] { session->pump_stream(); });
            }
          });
          if (!self->reading_) self->watch_client();
          self->pump_stream();
        });
  }

  void pump_stream() {
    if (closed_ || writing_ || !stream_channel_) return;
    bool finished = false;
    std::string bytes = stream_channel_->take(finished);
    if (finished) return close();
    if (bytes.empty()) return;
    out_ = std::move(bytes);
    writing_ = true;
    stream_.expires_after(shared_.options.read_timeout);  // a client that stops reading is dropped
    net::async_write(stream_, net::buffer(out_),
                     [self = shared_from_this()](error_code ec, size_t) {
                       self->writing_ = false;
                       if (ec) return self->close();
                       self->stream_.expires_never();
                       self->pump_stream();
                     });
  }

  void watch_client() {
    if (closed_) return;
    if (drain_.empty()) drain_.resize(4096);
    reading_ = true;
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](error_code ec, size_t) {
                              self->reading_ = false;
                              if (ec) return self->close();
                              self->watch_client();
                            });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    if (stream_channel_) stream_channel_->mark_closed();
    pending_.clear();
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::string out_;  // the answers being written
  std::deque<Slot> pending_;
  uint64_t first_sequence_ = 0;  // sequence of pending_.front()
  uint64_t next_sequence_ = 0;
  std::vector<char> drain_;
  std::shared_ptr<StreamChannel> stream_channel_;  // set while streaming
  bool streaming_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool read_closed_ = false;  // no more requests will be read (EOF, Connection: close, error)
  bool force_close_ = false;  // a rejected request: close after answering it
  bool shutting_down_ = false;
  bool closed_ = false;
};

}  // namespace

struct HttpServer::Impl {
  Shared shared;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::string endpoint;
  std::once_flag stop_once;

  void accept() {
    acceptor->async_accept(net::make_strand(shared.io), [this](error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec && !shared.stopping) {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(socket), shared)->start();
      } else if (ec) {
        // EMFILE and friends: keep accepting; the client sees its connect fail or reset.
        spdlog::warn("http: accept failed: {}", ec.message());
      }
      if (!shared.stopping) accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>()) {
  impl_->shared.options = std::move(options);
  impl_->shared.router = std::move(router);
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::start() {
  auto& shared = impl_->shared;
  const auto& listen = shared.options.listen;
  const std::string shown =
      (listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host) + ":" +
      std::to_string(listen.port);
  error_code ec;
  tcp::resolver resolver(shared.io);
  auto results = resolver.resolve(listen.host, std::to_string(listen.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    throw std::runtime_error("cannot resolve listen address " + shown + ": " + ec.message());
  }
  const tcp::endpoint wanted = results.begin()->endpoint();
  tcp::acceptor acceptor(shared.io);
  if (acceptor.open(wanted.protocol(), ec) ||
      acceptor.set_option(tcp::acceptor::reuse_address(true), ec) || acceptor.bind(wanted, ec) ||
      acceptor.listen(net::socket_base::max_listen_connections, ec)) {
    throw std::runtime_error("cannot listen on " + shown + ": " + ec.message());
  }
  const auto bound = acceptor.local_endpoint();
  impl_->port = bound.port();
  const std::string address = bound.address().to_string();
  impl_->endpoint =
      (bound.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(impl_->port);
  impl_->acceptor.emplace(std::move(acceptor));
  impl_->accept();

  unsigned count = shared.options.threads;
  if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < count; ++i) {
    impl_->threads.emplace_back([&shared] {
      for (;;) {
        try {
          shared.io.run();
          return;
        } catch (const std::exception& e) {
          spdlog::error("http: I/O thread caught: {}", e.what());
        }
      }
    });
  }
}

uint16_t HttpServer::bound_port() const {
  return impl_->port;
}

std::string HttpServer::bound_endpoint() const {
  return impl_->endpoint;
}

void HttpServer::stop() {
  std::call_once(impl_->stop_once, [this] {
    auto& shared = impl_->shared;
    shared.stopping = true;
    if (impl_->acceptor) {
      net::post(shared.io, [this] {
        error_code ignored;
        impl_->acceptor->close(ignored);
      });
    }
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(shared.mutex);
      for (auto& [raw, weak] : shared.sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->begin_shutdown();
    live.clear();
    {
      std::unique_lock lock(shared.mutex);
      const bool drained = shared.drained.wait_for(lock, shared.options.drain_timeout,
                                                   [&] { return shared.sessions.empty(); });
      if (!drained) {
        spdlog::warn("http: {} connection(s) still busy after the drain timeout; aborting them",
                     shared.sessions.size());
      }
    }
    shared.io.stop();
    for (auto& thread : impl_->threads) {
      if (thread.joinable()) thread.join();
    }
    impl_->threads.clear();
    impl_->acceptor.reset();
  });
}

}  // namespace coregate::http
