#include "gateway/credentials/credential_registry.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway/config/config_error.h"
#include "gateway/credentials/token_endpoint.h"

namespace coregate::credentials {
namespace {

CredentialRegistry from(const std::string& json) {
  return CredentialRegistry::from_config(config::ConfigNode(
      std::make_shared<const boost::json::value>(boost::json::parse(json)), "gateway.json"));
}

std::string error_of(const std::string& json) {
  try {
    (void)from(json);
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CredentialRegistry, StaticKinds) {
  auto r = from(R"({"credentials": {
      "b": {"kind": "basic", "username": "Aladdin", "password": "open sesame"},
      "t": {"kind": "bearer", "token": "abc"},
      "k": {"kind": "api_key", "key": "xyz", "prefix": "ApiKey "}}})");
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(r.get("b", false).value, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(r.get("t", true).value, "Bearer abc");
  EXPECT_EQ(r.get("k", false).value, "ApiKey xyz");
  auto unknown = r.get("nope", false);
  EXPECT_FALSE(unknown.ok);
  EXPECT_NE(unknown.error.find("configured: b, k, t"), std::string::npos) << unknown.error;
  EXPECT_EQ(from("{}").size(), 0u);
}

TEST(CredentialRegistry, ErrorsNameFileAndKeyButNeverTheSecret) {
  EXPECT_NE(error_of(R"({"credentials": {"x": {"kind": "magic"}}})").find("credentials.x.kind"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"credentials": {"x": {"kind": "bearer", "token": ""}}})")
                .find("credentials.x.token"),
            std::string::npos);
  std::string e =
      error_of(R"({"credentials": {"x": {"kind": "bearer", "token": "t0psecret", "tokn": 1}}})");
  EXPECT_NE(e.find("gateway.json"), std::string::npos) << e;
  EXPECT_NE(e.find("tokn"), std::string::npos) << e;
  EXPECT_NE(
      error_of(
          R"({"credentials": {"o": {"kind": "oauth2_client_credentials", "token_url": "ftp://x",
                       "client_id": "c", "client_secret": "s"}}})")
          .find("token_url"),
      std::string::npos);
  EXPECT_NE(
      error_of(
          R"({"credentials": {"o": {"kind": "oauth2_client_credentials", "token_url": "https://x/t",
                       "client_id": "c", "client_secret": "s", "auth_method": "jwt"}}})")
          .find("auth_method"),
      std::string::npos);
  EXPECT_EQ(
      error_of(
          R"({"credentials": {"o": {"kind": "oauth2_client_credentials", "token_url": "https://x/t",
                       "client_id": "c", "client_secret": "s", "scopes": ["a", "b"], "audience": "https://api",
                       "expiry_skew": "10s", "timeout": "2s", "extra_params": {"tenant": "t1"}}}})"),
      "");
}

TEST(TokenResponse, Parsing) {
  auto ok = parse_token_response(
      200, R"({"access_token": "a", "token_type": "bearer", "expires_in": 60})");
  ASSERT_TRUE(ok.ok);
  EXPECT_EQ(ok.access_token, "a");
  EXPECT_EQ(ok.expires_in->count(), 60);
  EXPECT_EQ(
      parse_token_response(200, R"({"access_token": "a", "expires_in": "30"})").expires_in->count(),
      30);
  EXPECT_FALSE(parse_token_response(200, R"({"access_token": "a"})").expires_in);
  EXPECT_FALSE(parse_token_response(200, "<html>").ok);
  EXPECT_FALSE(parse_token_response(200, R"({"token": "a"})").ok);
  auto refused =
      parse_token_response(401, R"({"error": "invalid_client", "error_description": "bad"})");
  EXPECT_FALSE(refused.ok);
  EXPECT_EQ(refused.error, "token endpoint answered 401: invalid_client (bad)");
}

}  // namespace
}  // namespace coregate::credentials
