#include "gateway/http/listen_address.h"

#include <gtest/gtest.h>

namespace coregate::http {
namespace {

TEST(ListenAddress, ParsesIpv4HostnamesAndBracketedIpv6) {
  auto a = parse_listen_address("127.0.0.1:8080");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 8080);
  auto b = parse_listen_address("[::1]:0");
  EXPECT_EQ(b.host, "::1");
  EXPECT_EQ(b.port, 0);
  EXPECT_EQ(parse_listen_address("localhost:65535").port, 65535);
}

TEST(ListenAddress, RefusesWhatIsNotAddrPort) {
  for (const char* bad : {"", "8080", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:65536",
                          "127.0.0.1:80x", "::1:8080", "[::1]8080", "[::1", "127.0.0.1:-1"}) {
    EXPECT_THROW(parse_listen_address(bad), std::invalid_argument) << bad;
  }
}

}  // namespace
}  // namespace coregate::http
