// A blocking HTTP/1.1 keep-alive client for integration tests (Boost.Beast), plus a raw-bytes
// sender for requests no well-behaved client would produce (CR/LF in a header, bad framing).
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>

namespace coregate::testing {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool connection_closed = false;

  boost::json::value json() const {
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    return ec ? boost::json::value() : value;
  }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class TestClient {
 public:
  explicit TestClient(uint16_t port) : port_(port), socket_(io_) {}

  Reply request(boost::beast::http::verb method, const std::string& target,
                const std::string& body = "",
                const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    connect_if_needed();
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty() || method == http::verb::post) {
      req.body() = body;
      req.prepare_payload();
    }
    http::write(socket_, req);
    return read_reply();
  }

  // Writes bytes as they are and reads one response.
  Reply raw(const std::string& bytes) {
    connect_if_needed();
    boost::asio::write(socket_, boost::asio::buffer(bytes));
    return read_reply();
  }

  void close() {
    boost::system::error_code ignored;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    buffer_.clear();
  }

 private:
  void connect_if_needed() {
    if (socket_.is_open()) return;
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    socket_.set_option(boost::asio::ip::tcp::no_delay(true));
  }

  Reply read_reply() {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    boost::system::error_code ec;
    http::read(socket_, buffer_, parser, ec);
    Reply reply;
    if (ec) {
      close();
      reply.connection_closed = true;
      return reply;
    }
    auto& res = parser.get();
    reply.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
    }
    reply.body = res.body();
    if (!res.keep_alive()) {
      reply.connection_closed = true;
      close();
    }
    return reply;
  }

  uint16_t port_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace coregate::testing
