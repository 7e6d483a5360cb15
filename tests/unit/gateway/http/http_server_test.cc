// The server on a real socket: keep-alive, asynchronous answers from another thread, limits,
// IPv6, and graceful shutdown that finishes a request in flight.
#include "gateway/http/http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <thread>

#include "gateway/http/problem.h"

namespace coregate::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Client {
  explicit Client(uint16_t port, const char* host = "127.0.0.1") : socket(io) {
    socket.connect({net::ip::make_address(host), port});
  }
  Response send(Verb method, const std::string& target, const std::string& body = "") {
    Request request{method, target, 11};
    request.set(boost::beast::http::field::host, "localhost");
    request.body() = body;
    request.prepare_payload();
    boost::beast::http::write(socket, request);
    return read();
  }
  Response read() {
    Response response;
    boost::beast::http::read(socket, buffer, response);
    return response;
  }
  net::io_context io;
  tcp::socket socket;
  boost::beast::flat_buffer buffer;
};

std::shared_ptr<Router> test_router() {
  auto router = std::make_shared<Router>();
  router->add(Verb::get, "/hello", [](IncomingRequest&&, Responder s) {
    s.send(json_response(Status::ok, boost::json::object{{"hello", "world"}}));
  });
  router->add(Verb::post, "/echo", [](IncomingRequest&& r, Responder s) {
    Response response{Status::ok, 11};
    response.body() = r.message.body();
    s.send(std::move(response));
  });
  // Answers 300 ms later from a thread of its own, like the intake answers after the fsync.
  router->add(Verb::get, "/slow", [](IncomingRequest&&, Responder s) {
    std::thread([s] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      s.send(json_response(Status::ok, boost::json::object{{"slow", true}}));
    }).detach();
  });
  return router;
}

HttpServerOptions test_options(const std::string& host = "127.0.0.1") {
  HttpServerOptions options;
  options.listen = {host, 0};
  options.threads = 2;
  options.body_limit = 4096;
  options.drain_timeout = std::chrono::seconds(5);
  return options;
}

TEST(HttpServer, ServesKeepAliveRequestsOnAnEphemeralPort) {
  HttpServer server(test_options(), test_router());
  server.start();
  ASSERT_NE(server.bound_port(), 0);
  EXPECT_EQ(server.bound_endpoint(), "127.0.0.1:" + std::to_string(server.bound_port()));
  Client client(server.bound_port());
  for (int i = 0; i < 5; ++i) {  // one connection, five requests
    auto response = client.send(Verb::get, "/hello");
    EXPECT_EQ(response.result(), Status::ok);
    EXPECT_EQ(response.body(), R"({"hello":"world"})");
    EXPECT_TRUE(response.keep_alive());
  }
  EXPECT_EQ(client.send(Verb::post, "/echo", "ping").body(), "ping");
  EXPECT_EQ(client.send(Verb::get, "/slow").result(), Status::ok);
  server.stop();
}

TEST(HttpServer, BodyOverTheLimitIs413AndTheConnectionCloses) {
  HttpServer server(test_options(), test_router());
  server.start();
  Client client(server.bound_port());
  auto response = client.send(Verb::post, "/echo", std::string(5000, 'x'));
  EXPECT_EQ(response.result(), Status::payload_too_large);
  EXPECT_EQ(response[boost::beast::http::field::content_type], "application/problem+json");
  EXPECT_FALSE(response.keep_alive());
  // The server is still there for others.
  Client other(server.bound_port());
  EXPECT_EQ(other.send(Verb::get, "/hello").result(), Status::ok);
}

TEST(HttpServer, GarbageIsAnswered400) {
  HttpServer server(test_options(), test_router());
  server.start();
  Client client(server.bound_port());
  net::write(client.socket, net::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
  EXPECT_EQ(client.read().result(), Status::bad_request);
}

TEST(HttpServer, ListensOnIpv6Loopback) {
  HttpServer server(test_options("::1"), test_router());
  try {
    server.start();
  } catch (const std::runtime_error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
  EXPECT_EQ(server.bound_endpoint(), "[::1]:" + std::to_string(server.bound_port()));
  Client client(server.bound_port(), "::1");
  EXPECT_EQ(client.send(Verb::get, "/hello").result(), Status::ok);
}

TEST(HttpServer, RefusesAnAddressInUse) {
  HttpServer first(test_options(), test_router());
  first.start();
  auto options = test_options();
  options.listen.port = first.bound_port();
  HttpServer second(options, test_router());
  // SO_REUSEADDR does not allow two listeners on one port.
  EXPECT_THROW(second.start(), std::runtime_error);
}

TEST(HttpServer, GracefulStopFinishesTheRequestInFlightAndClosesIdleConnections) {
  HttpServer server(test_options(), test_router());
  server.start();
  Client idle(server.bound_port());
  EXPECT_EQ(idle.send(Verb::get, "/hello").result(), Status::ok);
  Client busy(server.bound_port());
  Request request{Verb::get, "/slow", 11};
  request.set(boost::beast::http::field::host, "localhost");
  boost::beast::http::write(busy.socket, request);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the handler is now waiting
  const auto started = std::chrono::steady_clock::now();
  std::thread stopper([&] { server.stop(); });
  Response response = busy.read();
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_FALSE(response.keep_alive());  // Connection: close during shutdown
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  // The idle keep-alive connection was closed, and nothing listens any more.
  boost::system::error_code ec;
  Response nothing;
  boost::beast::http::read(idle.socket, idle.buffer, nothing, ec);
  EXPECT_TRUE(ec);
  net::io_context io;
  tcp::socket probe(io);
  probe.connect({net::ip::make_address("127.0.0.1"), server.bound_port()}, ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace coregate::http
