#include "gateway/auth/token_authenticator.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "gateway/config/config_loader.h"

namespace coregate::auth {
namespace {

std::string hex(const std::string& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

TokenAuthenticator from(const std::string& json) {
  return TokenAuthenticator::from_config(config::config_from_json_text(json, "test.json"));
}

TEST(TokenAuthenticator, HashedAndEnvironmentTokensWithScopes) {
  setenv("COREGATE_TEST_TOKEN", "from-env", 1);
  auto auth = from(R"({"auth": {"tokens": [
      {"name": "workflow", "sha256": ")" +
                   hex(sha256_digest("s3cret")) + R"(", "scopes": ["outcomes:write"]},
      {"name": "ops", "token_env": "COREGATE_TEST_TOKEN", "scopes": ["admin"]},
      {"name": "notes", "sha256": ")" +
                   hex(sha256_digest("n")) +
                   R"(", "scopes": "outcomes:write", "types": ["case.note_added"]}]}})");
  EXPECT_EQ(auth.token_count(), 3u);
  auto ok = auth.authenticate("Bearer s3cret");
  ASSERT_NE(ok.principal, nullptr);
  EXPECT_EQ(ok.principal->name, "workflow");
  EXPECT_TRUE(ok.principal->has(Scope::kOutcomesWrite));
  EXPECT_FALSE(ok.principal->has(Scope::kOutcomesRead));
  EXPECT_TRUE(ok.principal->allows_type("anything"));
  auto ops = auth.authenticate("bearer from-env");  // scheme is case-insensitive
  ASSERT_NE(ops.principal, nullptr);
  EXPECT_TRUE(ops.principal->has(Scope::kExceptionsManage));  // admin implies all
  auto notes = auth.authenticate("Bearer n");
  ASSERT_NE(notes.principal, nullptr);
  EXPECT_FALSE(notes.principal->allows_type("arrangement.promise_to_pay"));
  EXPECT_TRUE(notes.principal->allows_type("case.note_added"));
}

TEST(TokenAuthenticator, FailuresAreClassified) {
  auto auth = from(R"({"auth": {"tokens": [{"name": "w", "sha256": ")" + hex(sha256_digest("t")) +
                   R"(", "scopes": ["admin"]}]}})");
  EXPECT_EQ(auth.authenticate("").failure, AuthFailure::kMissing);
  EXPECT_EQ(auth.authenticate("Basic dTpw").failure, AuthFailure::kMalformed);
  EXPECT_EQ(auth.authenticate("Bearer ").failure, AuthFailure::kMalformed);
  EXPECT_EQ(auth.authenticate("Bearer wrong").failure, AuthFailure::kUnknown);
  EXPECT_EQ(auth.authenticate("Bearer T").failure, AuthFailure::kUnknown);
  EXPECT_NE(auth.authenticate("Bearer t").principal, nullptr);
}

TEST(TokenAuthenticator, BadConfigNamesTheKey) {
  auto expect_error = [](const std::string& json, const std::string& fragment) {
    try {
      from(json);
      ADD_FAILURE() << "accepted: " << json;
    } catch (const config::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  expect_error(R"({"auth": {"tokens": [{"name": "a", "sha256": "abc", "scopes": ["admin"]}]}})",
               "sha256");
  expect_error(R"({"auth": {"tokens": [{"name": "a", "sha256": ")" + std::string(64, 'a') +
                   R"(", "scopes": ["root"]}]}})",
               "unknown scope 'root'");
  expect_error(
      R"({"auth": {"tokens": [{"name": "a", "token_env": "COREGATE_SURELY_UNSET_VAR", "scopes": ["admin"]}]}})",
      "COREGATE_SURELY_UNSET_VAR");
  expect_error(R"({"auth": {"tokens": [{"name": "a", "scopes": ["admin"]}]}})", "exactly one");
  expect_error(R"({"auth": {"tokens": [{"name": "a", "sha256": ")" + std::string(64, 'a') +
                   R"(", "scopes": []}]}})",
               "at least one scope");
  expect_error(R"({"auth": {"tokens": [{"name": "a", "sha256": ")" + std::string(64, 'a') +
                   R"(", "scopes": ["admin"]}, {"name": "b", "sha256": ")" + std::string(64, 'a') +
                   R"(", "scopes": ["admin"]}]}})",
               "twice");
  expect_error(R"({"auth": {"tokenz": []}})", "tokenz");
}

}  // namespace
}  // namespace coregate::auth
