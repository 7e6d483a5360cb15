#include "tests/bench/support/outcome_load.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <memory>

namespace coregate::bench {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// What every connection of one run shares (all on the one client thread: no locking).
struct Run {
  const LoadOptions& options;
  LoadResult& result;
  Clock::time_point measure_from;
  Clock::time_point end;  // no request is scheduled at or after this
  uint64_t issued = 0;    // requests handed to a connection, over all connections
  uint64_t answered = 0;

  bool count_left() const { return options.total_requests == 0 || issued < options.total_requests; }
};

// One keep-alive connection with up to `pipeline` requests in flight: a send loop and a read loop
// share the socket; answers arrive in request order.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& io, Run& run, int index, Clock::time_point start)
      : socket_(io), timer_(io), run_(run), index_(index) {
    const auto& options = run.options;
    if (options.rate > 0)
      interval_ = std::chrono::duration<double>(options.connections / options.rate);
    // Spread the connections' first sends over one interval.
    next_send_ = start + std::chrono::duration_cast<Clock::duration>(
                             interval_ * (static_cast<double>(index) / options.connections));
  }

  void start(const tcp::endpoint& endpoint) {
    socket_.connect(endpoint);
    socket_.set_option(tcp::no_delay(true));
    pump();
  }

 private:
  // Sends the next request when allowed: fewer than `pipeline` outstanding, requests left and,
  // when paced, its scheduled time has come.
  void pump() {
    if (writing_ || waiting_ || failed_) return;
    if (outstanding_.size() >= static_cast<size_t>(run_.options.pipeline)) return;
    if (!run_.count_left()) return finish_if_idle();
    const auto now = Clock::now();
    Clock::time_point scheduled = now;
    if (run_.options.rate > 0) {
      scheduled = next_send_;
      if (scheduled >= run_.end) return finish_if_idle();
      if (scheduled > now) {
        waiting_ = true;
        timer_.expires_at(scheduled);
        timer_.async_wait([self = shared_from_this()](boost::system::error_code) {
          self->waiting_ = false;
          self->pump();
        });
        return;
      }
      next_send_ += std::chrono::duration_cast<Clock::duration>(interval_);
    } else if (now >= run_.end) {
      return finish_if_idle();
    }
    send(scheduled);
  }

  void finish_if_idle() {
    if (outstanding_.empty() && !writing_) {
      boost::system::error_code ignored;
      timer_.cancel();
      socket_.close(ignored);
    }
  }

  void send(Clock::time_point scheduled) {
    const auto& options = run_.options;
    const std::string key =
        options.key_prefix + "-" + std::to_string(index_) + "-" + std::to_string(sequence_);
    request_ = {http::verb::post, "/v1/outcomes", 11};
    request_.set(http::field::host, options.host);
    request_.set(http::field::authorization, "Bearer " + options.token);
    request_.set(http::field::content_type, "application/json");
    request_.set("Idempotency-Key", "\"" + key + "\"");
    request_.body() = options.body(index_, sequence_);
    request_.prepare_payload();
    ++sequence_;
    ++run_.issued;
    ++run_.result.sent;
    outstanding_.push_back(scheduled);
    writing_ = true;
    http::async_write(socket_, request_,
                      [self = shared_from_this()](boost::system::error_code ec, size_t) {
                        self->writing_ = false;
                        if (ec) return self->fail();
                        if (!self->reading_) self->read();
                        self->pump();
                      });
  }

  void read() {
    reading_ = true;
    response_ = {};
    http::async_read(socket_, buffer_, response_,
                     [self = shared_from_this()](boost::system::error_code ec, size_t) {
                       self->reading_ = false;
                       if (ec) return self->fail();
                       self->answered();
                       if (!self->outstanding_.empty()) self->read();
                       self->pump();
                     });
  }

  void answered() {
    const auto now = Clock::now();
    const auto scheduled = outstanding_.front();
    outstanding_.pop_front();
    ++run_.answered;
    LoadResult& r = run_.result;
    if (scheduled < run_.measure_from || scheduled >= run_.end) return;
    r.last_answer = now;
    if (response_.result_int() == 202) {
      ++r.accepted;
      r.latencies_us.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - scheduled).count()));
    } else {
      if (r.other++ == 0)
        r.first_other = std::to_string(response_.result_int()) + " " + response_.body();
    }
  }

  void fail() {
    if (!failed_) ++run_.result.errors;
    failed_ = true;
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  Run& run_;
  int index_;
  std::chrono::duration<double> interval_{0};
  Clock::time_point next_send_;
  std::deque<Clock::time_point> outstanding_;  // scheduled send times, in request order
  bool writing_ = false, reading_ = false, waiting_ = false, failed_ = false;
  uint64_t sequence_ = 0;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace

double LoadResult::seconds() const {
  if (last_answer <= measure_from) return 0;
  return std::chrono::duration<double>(last_answer - measure_from).count();
}

LoadResult run_outcome_load(const LoadOptions& options) {
  LoadResult result;
  if (options.total_requests > 0)
    result.latencies_us.reserve(std::min<uint64_t>(options.total_requests, 50'000'000));
  net::io_context io;
  // Paced runs start a little later so every connection is open before its first scheduled send;
  // closed-loop runs start sending as each connection opens (all of it measured after warm-up).
  const auto start = Clock::now() + (options.rate > 0 ? std::chrono::milliseconds(20)
                                                      : std::chrono::milliseconds(0));
  const auto to_duration = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  Run run{options, result, start + to_duration(options.warmup_s),
          options.duration_s > 0 ? start + to_duration(options.warmup_s + options.duration_s)
                                 : Clock::time_point::max()};
  result.measure_from = run.measure_from;
  const tcp::endpoint endpoint(net::ip::make_address(options.host), options.port);
  std::vector<std::shared_ptr<Connection>> connections;
  for (int i = 0; i < options.connections; ++i) {
    connections.push_back(std::make_shared<Connection>(io, run, i, start));
    connections.back()->start(endpoint);
  }
  const double cpu_before = thread_cpu_seconds();
  io.run();
  result.client_cpu_seconds = thread_cpu_seconds() - cpu_before;
  return result;
}

std::string promise_to_pay_body(const std::string& subject, size_t body_bytes) {
  std::string body =
      R"({"type":"arrangement.promise_to_pay","subject":")" + subject +
      R"(","data":{"amount":"125.50","currency":"ZAR","due_date":"2026-12-01","note":")";
  const size_t tail = 3;  // closing "}}
  if (body.size() + tail < body_bytes) body.append(body_bytes - body.size() - tail, 'x');
  body += "\"}}";
  return body;
}

double percentile_ms(const std::vector<uint32_t>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  const size_t index =
      std::min(sorted_us.size() - 1, static_cast<size_t>(p / 100.0 * sorted_us.size()));
  return sorted_us[index] / 1000.0;
}

}  // namespace coregate::bench
