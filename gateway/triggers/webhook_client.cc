#include "gateway/triggers/webhook_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <optional>

namespace coregate::triggers {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

WebhookUrl parse_webhook_url(std::string_view url) {
  WebhookUrl out;
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) return WebhookUrl{"", "", ""};
  url.remove_prefix(kScheme.size());
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) out.target = std::string(url.substr(slash));
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']') == std::string_view::npos) {
    out.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  if (!authority.empty() && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  out.host = std::string(authority);
  return out;
}

struct WebhookConnection::Impl {
  WebhookUrl url;
  std::chrono::milliseconds timeout;
  net::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::optional<tcp::resolver::results_type> endpoints;

  void drop() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->close();
    }
    stream.reset();
    buffer.clear();
  }
};

WebhookConnection::WebhookConnection(WebhookUrl url, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->timeout = timeout;
}

WebhookConnection::~WebhookConnection() {
  impl_->drop();
}

PostResult WebhookConnection::post(
    std::string_view body, const std::vector<std::pair<std::string, std::string>>& headers) {
  auto& s = *impl_;
  PostResult result;
  beast::error_code ec;
  if (!s.endpoints) {
    tcp::resolver resolver(s.io);
    auto resolved = resolver.resolve(s.url.host, s.url.port, ec);
    if (ec) {
      result.error = "cannot resolve " + s.url.host + ": " + ec.message();
      return result;
    }
    s.endpoints = std::move(resolved);
  }
  for (int round = 0; round < 2; ++round) {
    const bool reused = s.stream.has_value();
    bool timed_out = false;
    bhttp::request<bhttp::string_body> request{bhttp::verb::post, s.url.target, 11};
    request.set(bhttp::field::host, s.url.host + ":" + s.url.port);
    request.set(bhttp::field::user_agent, "coregate-webhooks");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = std::string(body);
    request.prepare_payload();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1024 * 1024);
    std::string step = "connect";
    ec = {};

    if (!s.stream) s.stream.emplace(s.io);
    s.stream->expires_after(s.timeout);
    s.io.restart();
    auto on_read = [&](beast::error_code e, size_t) { ec = e; };
    auto on_write = [&](beast::error_code e, size_t) {
      if (e) {
        ec = e;
        return;
      }
      step = "read";
      bhttp::async_read(*s.stream, s.buffer, parser, on_read);
    };
    auto send = [&] {
      step = "write";
      bhttp::async_write(*s.stream, request, on_write);
    };
    if (!reused) {
      s.stream->async_connect(*s.endpoints, [&](beast::error_code e, const tcp::endpoint&) {
        if (e) {
          ec = e;
          return;
        }
        s.stream->socket().set_option(tcp::no_delay(true));
        send();
      });
    } else {
      send();
    }
    s.io.run();
    if (ec == beast::error::timeout) timed_out = true;
    if (ec) {
      s.drop();
      // A kept-alive connection the receiver closed meanwhile: reconnect once, at once.
      if (reused && !timed_out && step != "connect" &&
          (ec == bhttp::error::end_of_stream || ec == net::error::connection_reset ||
           ec == net::error::broken_pipe || ec == net::error::eof)) {
        continue;
      }
      result.error =
          timed_out ? "timeout after " + std::to_string(s.timeout.count()) + " ms (" + step + ")"
                    : step + " failed: " + ec.message();
      return result;
    }
    const auto& response = parser.get();
    result.status = static_cast<int>(response.result_int());
    result.delivered = result.status >= 200 && result.status < 300;
    if (!result.delivered) {
      result.error = "HTTP " + std::to_string(result.status);
      const auto retry_after = response[bhttp::field::retry_after];
      int64_t seconds = 0;
      if (!retry_after.empty() &&
          std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds)
                  .ec == std::errc() &&
          seconds > 0 && seconds < 3600) {
        result.retry_after = std::chrono::seconds(seconds);
      }
    }
    if (!response.keep_alive()) s.drop();
    return result;
  }
  result.error = "connection closed by the receiver";
  return result;
}

}  // namespace coregate::triggers
