#include "gateway/server/http_config.h"

#include <gtest/gtest.h>

#include "gateway/config/config_loader.h"

namespace coregate::server {
namespace {

config::ConfigNode parse(const std::string& json) {
  return config::config_from_json_text(json, "gw.json");
}

TEST(HttpConfig, DefaultsOverridesAndSizes) {
  auto defaults = http_options_from_config(parse("{}"), std::nullopt);
  EXPECT_EQ(defaults.listen.host, "127.0.0.1");
  EXPECT_EQ(defaults.listen.port, 8080);
  auto configured = http_options_from_config(
      parse(
          R"({"listen": "[::1]:0", "http": {"threads": 3, "body_limit": "2MiB", "idle_timeout": "5s"}})"),
      std::nullopt);
  EXPECT_EQ(configured.listen.host, "::1");
  EXPECT_EQ(configured.threads, 3u);
  EXPECT_EQ(configured.body_limit, 2u * 1024 * 1024);
  EXPECT_EQ(configured.idle_timeout, std::chrono::seconds(5));
  auto overridden =
      http_options_from_config(parse(R"({"listen": "0.0.0.0:80"})"), std::string("127.0.0.1:0"));
  EXPECT_EQ(overridden.listen.port, 0);
}

TEST(HttpConfig, ErrorsNameTheKey) {
  auto message_of = [](const std::string& json, std::optional<std::string> listen = std::nullopt) {
    try {
      http_options_from_config(parse(json), listen);
    } catch (const config::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of(R"({"listen": "localhost"})").find("listen"), std::string::npos);
  EXPECT_NE(message_of("{}", "nope").find("--listen"), std::string::npos);
  EXPECT_NE(message_of(R"({"http": {"thread": 2}})").find("thread"), std::string::npos);
  EXPECT_NE(message_of(R"({"http": {"body_limit": 10}})").find("body_limit"), std::string::npos);
  EXPECT_NE(message_of(R"({"http": {"read_timeout": 0}})").find("read_timeout"), std::string::npos);
}

}  // namespace
}  // namespace coregate::server
