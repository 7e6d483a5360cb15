#include "tests/bench/support/http_get.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace coregate::bench {

HttpAnswer http_get(const std::string& host, uint16_t port, const std::string& target,
                    const std::string& bearer_token) {
  namespace net = boost::asio;
  namespace http = boost::beast::http;
  HttpAnswer answer;
  try {
    net::io_context io;
    net::ip::tcp::socket socket(io);
    socket.connect({net::ip::make_address(host), port});
    http::request<http::empty_body> request{http::verb::get, target, 11};
    request.set(http::field::host, host);
    if (!bearer_token.empty()) request.set(http::field::authorization, "Bearer " + bearer_token);
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    answer.status = response.result_int();
    answer.body = std::move(response.body());
    boost::system::error_code ignored;
    socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& e) {
    answer.status = 0;
    answer.body = e.what();
  }
  return answer;
}

}  // namespace coregate::bench
