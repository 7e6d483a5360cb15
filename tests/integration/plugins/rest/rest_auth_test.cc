// Outbound OAuth2 client credentials against a real authorization server (oidc-provider) in front
// of a target that accepts only its live tokens; token requests are counted at the token endpoint.
#include <atomic>
#include <chrono>
#include <thread>

#include "tests/integration/plugins/rest/rest_fixture.h"

namespace coregate::testing::rest {
namespace {
namespace json = boost::json;
using sdk::WriteClass;

class RestAuthTest : public RestTest {
 protected:
  std::string credentials(int port, const std::string& skew) {
    return json::serialize(
        json::object{{"crm_oauth",
                      {{"kind", "oauth2_client_credentials"},
                       {"token_url", "http://127.0.0.1:" + std::to_string(port) + "/token"},
                       {"client_id", "coregate"},
                       {"client_secret", "coregate-secret"},
                       {"scopes", json::array{"arrangements:write"}},
                       {"expiry_skew", skew}}}});
  }
  json::object config(int port, int concurrency) {
    return {{"base_url", "http://127.0.0.1:" + std::to_string(port)},
            {"concurrency", concurrency},
            {"auth", {{"provider", "crm_oauth"}}},
            {"operations", {{"post", {{"path", "/api/arrangements"}}}}}};
  }
  static json::object stats(int port) {
    return json::parse(http_text(port, "/_stats")).as_object();
  }
};

TEST_F(RestAuthTest, TenThousandWritebacksReuseTheCachedToken) {
  const int ttl_s = 3;
  NodePeer oauth("oauth_target.js", {"--ttl", std::to_string(ttl_s)}, shared().dir / "oauth1");
  TestHostServices services(credentials(oauth.port(), "1s"));
  auto a = adapter(config(oauth.port(), 16), &services);
  std::atomic<int> next{0}, applied{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      while (next.fetch_add(1) < 10000) {
        if (write(*a, {{"amount", "1.00"}}).write_class == WriteClass::kApplied) ++applied;
        // Paced to ~3,000/s so the run spans more than one token lifetime.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto s = stats(oauth.port());
  int64_t tokens = s.at("token_requests").as_int64();
  // The cache refreshes `skew` before expiry, so the effective lifetime is ttl - skew.
  double bound_effective = seconds / (ttl_s - 1) + 1;
  double bound_literal = seconds / ttl_s + 1;
  std::cout << "[observed] 10000 writebacks in " << seconds << " s: " << tokens
            << " token requests, " << s.at("api_401").as_int64() << " answers 401; bound "
            << "duration/(ttl-skew)+1 = " << bound_effective
            << ", duration/ttl+1 = " << bound_literal << "\n";
  EXPECT_EQ(applied.load(), 10000);
  EXPECT_LE(static_cast<double>(tokens), bound_effective);
  EXPECT_GE(tokens, 2) << "the run outlived the first token, so expiry must have refreshed it";
  EXPECT_EQ(s.at("api_401").as_int64(), 0);
}

TEST_F(RestAuthTest, ExpiryLeadsToARefresh) {
  NodePeer oauth("oauth_target.js", {"--ttl", "2"}, shared().dir / "oauth2");
  TestHostServices services(credentials(oauth.port(), "500ms"));
  auto a = adapter(config(oauth.port(), 2), &services);
  EXPECT_EQ(write(*a, {{"n", 1}}).write_class, WriteClass::kApplied);
  EXPECT_EQ(stats(oauth.port()).at("token_requests").as_int64(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  auto r = write(*a, {{"n", 2}});
  EXPECT_EQ(r.write_class, WriteClass::kApplied) << r.diagnostic;
  auto s = stats(oauth.port());
  EXPECT_EQ(s.at("token_requests").as_int64(), 2);
  EXPECT_EQ(s.at("api_401").as_int64(), 0) << "the refresh came before the target refused";
}

TEST_F(RestAuthTest, A401RefreshesOnceAndRetriesOnce) {
  NodePeer oauth("oauth_target.js", {"--ttl", "3600"}, shared().dir / "oauth3");
  TestHostServices services(credentials(oauth.port(), "30s"));
  auto a = adapter(config(oauth.port(), 8), &services);
  EXPECT_EQ(write(*a, {{"n", 1}}).write_class, WriteClass::kApplied);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // past the refresh grace
  http_text(oauth.port(), "/_revoke", "POST");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // tokens issued now are live
  // Eight writers see the revoked token at once: one refresh serves them all.
  std::vector<std::thread> threads;
  std::atomic<int> applied{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      if (write(*a, {{"n", 2}}).write_class == WriteClass::kApplied) ++applied;
    });
  }
  for (auto& t : threads) t.join();
  auto s = stats(oauth.port());
  std::cout << "[observed] after revocation: " << s.at("api_401").as_int64() << " answers 401, "
            << s.at("token_requests").as_int64() << " token requests in all\n";
  EXPECT_EQ(applied.load(), 8);
  EXPECT_EQ(s.at("token_requests").as_int64(), 2);
  EXPECT_GE(s.at("api_401").as_int64(), 1);
}

TEST_F(RestAuthTest, AnUnavailableTokenEndpointIsRetryableAndNamesTheProvider) {
  TestHostServices services(credentials(free_port(), "30s"));
  auto a = adapter(config(shared().faults->port(), 1), &services);
  auto r = write(*a, {{"n", 1}});
  EXPECT_EQ(r.write_class, WriteClass::kRetryable);
  EXPECT_NE(r.diagnostic.find("crm_oauth"), std::string::npos) << r.diagnostic;
  EXPECT_EQ(r.diagnostic.find("coregate-secret"), std::string::npos) << r.diagnostic;
}

TEST_F(RestAuthTest, StaticProvidersSendTheirHeader) {
  TestHostServices services(R"({"basic": {"kind": "basic", "username": "svc", "password": "pw"},
                               "key": {"kind": "api_key", "key": "k-123"}})");
  json::object cfg{{"base_url", fault_url()},
                   {"auth", {{"provider", "basic"}}},
                   {"operations", {{"echo", {{"path", "/echo"}}}}}};
  auto a = adapter(cfg, &services);
  ASSERT_EQ(write(*a, {{"n", 1}}).write_class, WriteClass::kApplied);
  auto seen = json::parse(http_text(shared().faults->port(), "/_stats")).at("last_echo");
  EXPECT_EQ(seen.at("headers").at("authorization").as_string(), "Basic c3ZjOnB3");
  cfg["auth"] = {{"provider", "key"}, {"header", "X-API-Key"}};
  auto b = adapter(cfg, &services);
  ASSERT_EQ(write(*b, {{"n", 1}}).write_class, WriteClass::kApplied);
  seen = json::parse(http_text(shared().faults->port(), "/_stats")).at("last_echo");
  EXPECT_EQ(seen.at("headers").at("x-api-key").as_string(), "k-123");
}

}  // namespace
}  // namespace coregate::testing::rest
