// Load generator for POST /v1/outcomes: N keep-alive connections (Boost.Beast, one client thread),
// each posting distinct ~1 KiB outcomes with distinct Idempotency-Keys. Prints accepted/s and
// latency percentiles; with --rate it paces requests open-loop and measures latency from each
// request's SCHEDULED send time, so a stalled server cannot hide its queueing (no coordinated
// omission). By default it starts build/bin/coregate itself on port 0 with a fresh store and
// reports the gateway's peak RSS (VmHWM); --port targets a gateway that is already running.
//
//   build/bench/intake_load --connections 64 --duration 60
//   build/bench/intake_load --connections 64 --duration 60 --rate 10000
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int connections = 64;
  double duration_s = 60;
  double warmup_s = 2;
  double rate = 0;  // requests/s over all connections; 0 = as fast as answers come back
  int body_bytes = 1024;
  int pipeline = 1;   // requests in flight per connection
  uint16_t port = 0;  // 0: start our own gateway
  std::string token = "bench-token-0123456789";
  std::string coregate = std::string(COREGATE_BINARY_DIR) + "/bin/coregate";
  int gateway_threads = 0;
};

struct Stats {
  std::vector<uint32_t> latencies_us;
  uint64_t accepted = 0;
  uint64_t other = 0;
  uint64_t errors = 0;
  Clock::time_point last_answer{};  // of a measured request
};

// One keep-alive connection with up to `pipeline` requests in flight (HTTP/1.1 pipelining):
// a send loop and a read loop share the socket; answers arrive in request order.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& io, const Options& options, int index, Stats& stats,
             Clock::time_point start, Clock::time_point measure_from, Clock::time_point end)
      : socket_(io),
        timer_(io),
        options_(options),
        index_(index),
        stats_(stats),
        measure_from_(measure_from),
        end_(end) {
    if (options.rate > 0)
      interval_ = std::chrono::duration<double>(options.connections / options.rate);
    // Spread the connections' first sends over one interval.
    next_send_ = start + std::chrono::duration_cast<Clock::duration>(
                             interval_ * (double(index) / options.connections));
  }

  void run(const tcp::endpoint& endpoint) {
    socket_.connect(endpoint);
    socket_.set_option(tcp::no_delay(true));
    pump();
  }

 private:
  // Sends the next request when allowed: fewer than `pipeline` outstanding and, when paced, its
  // scheduled time has come.
  void pump() {
    if (writing_ || waiting_ || failed_) return;
    if (outstanding_.size() >= static_cast<size_t>(options_.pipeline))
      return;  // read loop calls again
    const auto now = Clock::now();
    Clock::time_point scheduled = now;
    if (options_.rate > 0) {
      scheduled = next_send_;
      if (scheduled >= end_) return finish_if_idle();
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
    } else if (now >= end_) {
      return finish_if_idle();
    }
    send(scheduled);
  }

  void finish_if_idle() {
    if (outstanding_.empty() && !writing_) {
      boost::system::error_code ignored;
      socket_.close(ignored);
    }
  }

  void send(Clock::time_point scheduled) {
    const std::string key = "bench-" + std::to_string(getpid()) + "-" + std::to_string(index_) +
                            "-" + std::to_string(sequence_++);
    request_ = {http::verb::post, "/v1/outcomes", 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set(http::field::authorization, "Bearer " + options_.token);
    request_.set(http::field::content_type, "application/json");
    request_.set("Idempotency-Key", "\"" + key + "\"");
    std::string body =
        R"({"type":"arrangement.promise_to_pay","subject":"acct-)" + std::to_string(index_) + "-" +
        std::to_string(sequence_) +
        R"(","data":{"amount":"125.50","currency":"ZAR","due_date":"2026-12-01","note":")";
    const size_t tail = 3;  // closing "}}
    if (body.size() + tail < static_cast<size_t>(options_.body_bytes)) {
      body.append(options_.body_bytes - body.size() - tail, 'x');
    }
    body += "\"}}";
    request_.body() = std::move(body);
    request_.prepare_payload();
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
    http::async_read(
        socket_, buffer_, response_,
        [self = shared_from_this()](boost::system::error_code ec, size_t) {
          self->reading_ = false;
          if (ec) return self->fail();
          const auto now = Clock::now();
          const auto scheduled = self->outstanding_.front();
          self->outstanding_.pop_front();
          if (scheduled >= self->measure_from_ && scheduled < self->end_) {
            self->stats_.last_answer = now;  // a paced run that falls behind takes longer
            if (self->response_.result_int() == 202) {
              ++self->stats_.accepted;
              self->stats_.latencies_us.push_back(static_cast<uint32_t>(
                  std::chrono::duration_cast<std::chrono::microseconds>(now - scheduled).count()));
            } else {
              ++self->stats_.other;
              if (self->stats_.other == 1)
                std::cerr << "first non-202: " << self->response_.result_int() << " "
                          << self->response_.body() << "\n";
            }
          }
          if (!self->outstanding_.empty()) self->read();
          self->pump();
        });
  }

  void fail() {
    if (!failed_) ++stats_.errors;
    failed_ = true;
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  const Options& options_;
  int index_;
  Stats& stats_;
  Clock::time_point measure_from_, end_;
  std::chrono::duration<double> interval_{0};
  Clock::time_point next_send_;
  std::deque<Clock::time_point> outstanding_;  // scheduled send times, in request order
  bool writing_ = false, reading_ = false, waiting_ = false, failed_ = false;
  uint64_t sequence_ = 0;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  boost::beast::flat_buffer buffer_;
};

long peak_rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

pid_t start_gateway(const Options& options, const std::filesystem::path& dir, uint16_t& port) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "coregate.json")
      << "{\"listen\": \"127.0.0.1:0\", \"log\": {\"level\": \"warn\"},\n"
      << " \"http\": {\"threads\": " << options.gateway_threads << "},\n"
      << " \"store\": {\"path\": \"" << (dir / "store.db").string() << "\"},\n"
      << " \"intake\": {\"schemas\": \"" << COREGATE_SOURCE_DIR
      << "/tests/integration/intake/schemas\", \"backlog\": 65536},\n"
      << " \"auth\": {\"tokens\": [{\"name\": \"bench\", \"token_env\": \"COREGATE_TOKEN\", "
         "\"scopes\": [\"outcomes:write\"]}]}}\n";
  const std::string config = (dir / "coregate.json").string();
  const std::string port_file = (dir / "port").string();
  const std::string log = (dir / "gateway.log").string();
  const std::string env = "COREGATE_TOKEN=" + options.token;
  pid_t pid = fork();
  if (pid == 0) {
    putenv(const_cast<char*>(env.c_str()));
    if (!freopen(log.c_str(), "w", stderr)) _exit(126);
    execl(options.coregate.c_str(), options.coregate.c_str(), "serve", "--config", config.c_str(),
          "--port-file", port_file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500; ++i) {
    std::ifstream in(port_file);
    int value = 0;
    if (in >> value && value > 0) {
      port = static_cast<uint16_t>(value);
      return pid;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cerr << "gateway did not start; see " << log << "\n";
  kill(pid, SIGKILL);
  std::exit(1);
}

// User + system CPU seconds a process has used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, static_cast<size_t>(p / 100.0 * sorted.size()));
  return sorted[index] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--connections")
      options.connections = std::stoi(value());
    else if (arg == "--duration")
      options.duration_s = std::stod(value());
    else if (arg == "--warmup")
      options.warmup_s = std::stod(value());
    else if (arg == "--rate")
      options.rate = std::stod(value());
    else if (arg == "--pipeline")
      options.pipeline = std::max(1, std::stoi(value()));
    else if (arg == "--body-bytes")
      options.body_bytes = std::stoi(value());
    else if (arg == "--port")
      options.port = static_cast<uint16_t>(std::stoi(value()));
    else if (arg == "--token")
      options.token = value();
    else if (arg == "--coregate")
      options.coregate = value();
    else if (arg == "--gateway-threads")
      options.gateway_threads = std::stoi(value());
    else {
      std::cerr
          << "usage: intake_load [--connections N] [--duration S] [--warmup S] [--rate R] "
             "[--pipeline N] [--body-bytes B]\n"
             "                   [--port P --token T | --coregate PATH --gateway-threads N]\n";
      return 2;
    }
  }
  pid_t gateway = -1;
  const auto dir =
      std::filesystem::temp_directory_path() / ("coregate-bench-" + std::to_string(getpid()));
  uint16_t port = options.port;
  if (port == 0) gateway = start_gateway(options, dir, port);

  net::io_context io;
  Stats stats;
  stats.latencies_us.reserve(static_cast<size_t>(std::max(1.0, options.duration_s) * 40000));
  const auto start = Clock::now() + std::chrono::milliseconds(100);
  const auto measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(options.warmup_s));
  const auto end = measure_from + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(options.duration_s));
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  std::vector<std::shared_ptr<Connection>> connections;
  for (int i = 0; i < options.connections; ++i) {
    connections.push_back(
        std::make_shared<Connection>(io, options, i, stats, start, measure_from, end));
    connections.back()->run(endpoint);
  }
  const double gateway_cpu_before = gateway > 0 ? cpu_seconds(gateway) : 0;
  const double client_cpu_before = cpu_seconds(getpid());
  io.run();
  const double gateway_cpu = gateway > 0 ? cpu_seconds(gateway) - gateway_cpu_before : 0;
  const double client_cpu = cpu_seconds(getpid()) - client_cpu_before;
  // When the gateway falls behind a paced schedule the run takes longer than --duration; the rate
  // is what was accepted over the time it really took.
  const double seconds = std::max(
      options.duration_s, std::chrono::duration<double>(stats.last_answer - measure_from).count());

  std::sort(stats.latencies_us.begin(), stats.latencies_us.end());
  std::printf(
      "connections=%d pipeline=%d duration=%.0fs (took %.1fs) warmup=%.0fs rate=%s body=%dB\n",
      options.connections, options.pipeline, options.duration_s, seconds, options.warmup_s,
      options.rate > 0 ? std::to_string(static_cast<long>(options.rate)).c_str() : "max",
      options.body_bytes);
  std::printf(
      "accepted=%llu other=%llu errors=%llu\n", static_cast<unsigned long long>(stats.accepted),
      static_cast<unsigned long long>(stats.other), static_cast<unsigned long long>(stats.errors));
  std::printf("accepted/s=%.0f\n", stats.accepted / seconds);
  std::printf("latency_ms p50=%.2f p99=%.2f p99.9=%.2f max=%.2f\n",
              percentile(stats.latencies_us, 50), percentile(stats.latencies_us, 99),
              percentile(stats.latencies_us, 99.9),
              stats.latencies_us.empty() ? 0.0 : stats.latencies_us.back() / 1000.0);
  const double total = std::max<double>(1, static_cast<double>(stats.accepted + stats.other));
  std::printf("client_cpu_us_per_request=%.1f\n", 1e6 * client_cpu / total);
  if (gateway > 0) {
    std::printf("gateway_cpu_us_per_request=%.1f (includes warm-up)\n", 1e6 * gateway_cpu / total);
    std::printf("gateway_peak_rss_mib=%.1f\n", peak_rss_kib(gateway) / 1024.0);
    kill(gateway, SIGTERM);
    int status = 0;
    waitpid(gateway, &status, 0);
    std::filesystem::remove_all(dir);
  }
  return stats.errors == 0 ? 0 : 1;
}
