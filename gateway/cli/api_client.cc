#include "gateway/cli/api_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <exception>

namespace coregate::cli {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Answers bigger than this are refused rather than buffered (a page of exceptions is far smaller).
constexpr std::uint64_t kMaxAnswerBytes = 64ull << 20;

std::string media_type_of(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.back()))) {
    type.remove_suffix(1);
  }
  while (!type.empty() && std::isspace(static_cast<unsigned char>(type.front()))) {
    type.remove_prefix(1);
  }
  std::string lower(type);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

struct Exchange {
  const ApiEndpoint& endpoint;
  std::chrono::steady_clock::time_point deadline;
  std::chrono::milliseconds timeout;
  http::request<http::string_body> request;
  ApiResult result;

  asio::awaitable<void> run() {
    auto executor = co_await asio::this_coro::executor;
    beast::error_code ec;

    // Name resolution is not covered by tcp_stream's timer; a guard timer cancels it instead.
    tcp::resolver resolver(executor);
    asio::steady_timer guard(executor, deadline);
    bool resolve_timed_out = false;
    guard.async_wait([&](beast::error_code wait_ec) {
      if (!wait_ec) {
        resolve_timed_out = true;
        resolver.cancel();
      }
    });
    auto addresses = co_await resolver.async_resolve(endpoint.host, endpoint.port,
                                                     asio::redirect_error(asio::use_awaitable, ec));
    guard.cancel();
    if (resolve_timed_out) {
      result.error = "cannot resolve " + endpoint.host + " (" + endpoint.url + ") within " +
                     seconds_text(timeout);
      co_return;
    }
    if (ec) {
      result.error = "cannot resolve " + endpoint.host + " (" + endpoint.url + "): " + ec.message();
      co_return;
    }

    beast::tcp_stream stream(executor);
    stream.expires_at(deadline);
    co_await stream.async_connect(addresses, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      result.error = ec == beast::error::timeout
                         ? "cannot connect to " + endpoint.url + " within " + seconds_text(timeout)
                         : "cannot connect to " + endpoint.url + ": " + ec.message();
      co_return;
    }
    stream.expires_at(deadline);
    co_await http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      result.error = "sending the request to " + endpoint.url + " failed: " + ec.message();
      co_return;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    stream.expires_at(deadline);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      result.error = ec == beast::error::timeout
                         ? "no answer from " + endpoint.url + " within " + seconds_text(timeout)
                         : "reading the answer from " + endpoint.url + " failed: " + ec.message();
      co_return;
    }
    auto& response = parser.get();
    ApiAnswer answer;
    answer.status = response.result_int();
    answer.content_type = media_type_of(response[http::field::content_type]);
    answer.body = std::move(response.body());
    result.answer = std::move(answer);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);  // best effort; the answer is in
  }
};

}  // namespace

std::optional<ApiEndpoint> parse_api_url(std::string_view url, std::string& error) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    error = "'" + std::string(url) + "' is not a URL (expected http://HOST[:PORT])";
    return std::nullopt;
  }
  const auto& u = *parsed;
  if (u.scheme() != "http") {
    error = "'" + std::string(url) + "': only http:// URLs are supported";
    return std::nullopt;
  }
  if (u.has_userinfo() || u.has_query() || u.has_fragment()) {
    error = "'" + std::string(url) + "': a gateway URL has no user info, query or fragment";
    return std::nullopt;
  }
  ApiEndpoint endpoint;
  endpoint.url = std::string(url);
  switch (u.host_type()) {
    case boost::urls::host_type::ipv6:
      endpoint.host = std::string(u.host_ipv6_address().to_string());
      break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::name:
      endpoint.host = std::string(u.encoded_host());
      break;
    default:
      break;
  }
  if (endpoint.host.empty()) {
    error = "'" + std::string(url) + "': the URL names no host";
    return std::nullopt;
  }
  endpoint.port = u.has_port() ? std::string(u.port()) : "80";
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(endpoint.port.data(), endpoint.port.data() + endpoint.port.size(), port);
  if (ec != std::errc() || end != endpoint.port.data() + endpoint.port.size() || port == 0 ||
      port > 65535) {
    error = "'" + std::string(url) + "': the port must be 1-65535";
    return std::nullopt;
  }
  endpoint.base_path = std::string(u.encoded_path());
  while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') {
    endpoint.base_path.pop_back();
  }
  return endpoint;
}

ApiClient::ApiClient(ApiEndpoint endpoint, std::string bearer_token,
                     std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), bearer_token_(std::move(bearer_token)), timeout_(timeout) {}

ApiResult ApiClient::get(std::string_view target) {
  return send(false, target, {});
}

ApiResult ApiClient::post_json(std::string_view target, std::string body) {
  return send(true, target, std::move(body));
}

ApiResult ApiClient::send(bool post, std::string_view target, std::string body) {
  Exchange exchange{endpoint_, std::chrono::steady_clock::now() + timeout_, timeout_, {}, {}};
  auto& request = exchange.request;
  request.method(post ? http::verb::post : http::verb::get);
  request.target(endpoint_.base_path + std::string(target));
  request.version(11);
  const bool ipv6 = endpoint_.host.find(':') != std::string::npos;
  request.set(http::field::host,
              (ipv6 ? "[" + endpoint_.host + "]" : endpoint_.host) + ":" + endpoint_.port);
  request.set(http::field::user_agent, "coregate-cli");
  request.set(http::field::accept, "application/json, application/problem+json");
  request.set(http::field::connection, "close");
  if (!bearer_token_.empty()) request.set(http::field::authorization, "Bearer " + bearer_token_);
  if (post) {
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(body);
  }
  request.prepare_payload();

  asio::io_context io;
  asio::co_spawn(io, exchange.run(), [&](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      exchange.result.error = "request to " + endpoint_.url + " failed: " + e.what();
    }
  });
  io.run();
  if (!exchange.result.ok() && exchange.result.error.empty()) {
    exchange.result.error = "request to " + endpoint_.url + " did not complete";
  }
  return std::move(exchange.result);
}

}  // namespace coregate::cli
