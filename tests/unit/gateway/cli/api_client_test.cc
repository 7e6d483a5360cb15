// parse_api_url: what `--url` / $COREGATE_URL accept and refuse, and the client's own failures
// (refused connection) as results rather than exceptions.
#include "gateway/cli/api_client.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>

namespace coregate::cli {
namespace {

ApiEndpoint parsed(const std::string& url) {
  std::string error;
  auto endpoint = parse_api_url(url, error);
  EXPECT_TRUE(endpoint) << url << ": " << error;
  return endpoint.value_or(ApiEndpoint{});
}

TEST(ParseApiUrl, HostPortAndBasePath) {
  auto e = parsed("http://127.0.0.1:8080");
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_EQ(e.port, "8080");
  EXPECT_EQ(e.base_path, "");
  EXPECT_EQ(e.url, "http://127.0.0.1:8080");
  e = parsed("http://gateway.internal/coregate/");
  EXPECT_EQ(e.host, "gateway.internal");
  EXPECT_EQ(e.port, "80");
  EXPECT_EQ(e.base_path, "/coregate");
  e = parsed("http://[::1]:9000/");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.port, "9000");
  EXPECT_EQ(e.base_path, "");
}

TEST(ParseApiUrl, RefusesWhatItCannotServe) {
  for (const char* url :
       {"", "127.0.0.1:8080", "https://gateway", "ftp://gateway", "http://user:pw@gateway",
        "http://gateway/?q=1", "http://gateway/#x", "http://:8080", "http://gateway:0",
        "http://gateway:99999", "http://gate way"}) {
    std::string error;
    EXPECT_FALSE(parse_api_url(url, error)) << url;
    EXPECT_FALSE(error.empty()) << url;
  }
}

TEST(ApiClient, ARefusedConnectionIsAResultNamingTheUrl) {
  std::string port;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = std::to_string(probe.local_endpoint().port());
  }
  std::string error;
  ApiClient client(*parse_api_url("http://127.0.0.1:" + port, error), "t", std::chrono::seconds(2));
  ApiResult result = client.get("/v1/exceptions");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("cannot connect to http://127.0.0.1:" + port), std::string::npos)
      << result.error;
}

TEST(ApiClient, AnUnresolvableHostIsAResult) {
  std::string error;
  ApiClient client(*parse_api_url("http://no-such-host.invalid:8080", error), "t",
                   std::chrono::seconds(5));
  ApiResult result = client.get("/v1/exceptions");
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.error.find("no-such-host.invalid"), std::string::npos) << result.error;
}

}  // namespace
}  // namespace coregate::cli
