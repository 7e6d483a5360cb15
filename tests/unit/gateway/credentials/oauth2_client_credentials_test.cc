#include "gateway/credentials/oauth2_client_credentials.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace coregate::credentials {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct FakeEndpoint {
  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};
  std::chrono::milliseconds delay{0};
  IssuedToken operator()() {
    int n = ++calls;
    std::this_thread::sleep_for(delay);
    if (fail) return {false, {}, {}, {}, "token endpoint answered 503"};
    return {true, "t" + std::to_string(n), "bearer", std::chrono::seconds(100), {}};
  }
};

struct FakeClock {
  Clock::time_point now = Clock::time_point(1000h);
};

TEST(OAuth2ClientCredentials, CachesUntilExpiryMinusSkew) {
  FakeEndpoint endpoint;
  FakeClock clock;
  OAuth2ClientCredentials p([&] { return endpoint(); }, {10s, 300s, 2s}, [&] { return clock.now; });
  EXPECT_EQ(p.get(false).value, "Bearer t1");
  clock.now += 89s;
  EXPECT_EQ(p.get(false).value, "Bearer t1");
  clock.now += 1s;  // 90 s = 100 s lifetime - 10 s skew
  EXPECT_EQ(p.get(false).value, "Bearer t2");
  EXPECT_EQ(endpoint.calls, 2);
}

TEST(OAuth2ClientCredentials, ForceRefreshWithAGraceForRacingWriters) {
  FakeEndpoint endpoint;
  FakeClock clock;
  OAuth2ClientCredentials p([&] { return endpoint(); }, {10s, 300s, 2s}, [&] { return clock.now; });
  EXPECT_EQ(p.get(false).value, "Bearer t1");
  EXPECT_EQ(p.get(true).value, "Bearer t1") << "issued within the grace: not refetched";
  clock.now += 3s;
  EXPECT_EQ(p.get(true).value, "Bearer t2");
  EXPECT_EQ(p.get(true).value, "Bearer t2");
  EXPECT_EQ(endpoint.calls, 2);
}

TEST(OAuth2ClientCredentials, OneRefreshInFlightServesEveryWaiter) {
  FakeEndpoint endpoint;
  endpoint.delay = 200ms;
  OAuth2ClientCredentials p([&] { return endpoint(); }, {});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      if (p.get(false).value == "Bearer t1") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 32);
  EXPECT_EQ(endpoint.calls, 1);
  EXPECT_EQ(p.fetch_count(), 1u);
}

TEST(OAuth2ClientCredentials, FailuresAreSharedAndTheOldTokenServedUntilItTrulyExpires) {
  FakeEndpoint endpoint;
  FakeClock clock;
  OAuth2ClientCredentials p([&] { return endpoint(); }, {10s, 300s, 2s}, [&] { return clock.now; });
  EXPECT_TRUE(p.get(false).ok);
  endpoint.fail = true;
  clock.now += 95s;  // past refresh, before expiry
  auto stale = p.get(false);
  EXPECT_TRUE(stale.ok);
  EXPECT_EQ(stale.value, "Bearer t1");
  clock.now += 10s;  // expired
  auto failed = p.get(false);
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.error, "token endpoint answered 503");
  endpoint.fail = false;
  EXPECT_EQ(p.get(false).value, "Bearer t4");
}

TEST(OAuth2ClientCredentials, MissingExpiresInUsesTheDefaultLifetime) {
  FakeClock clock;
  int calls = 0;
  OAuth2ClientCredentials p(
      [&] {
        ++calls;
        return IssuedToken{true, "x", "Bearer", std::nullopt, {}};
      },
      {30s, 60s, 2s}, [&] { return clock.now; });
  EXPECT_TRUE(p.get(false).ok);
  clock.now += 29s;
  EXPECT_TRUE(p.get(false).ok);
  EXPECT_EQ(calls, 1);
  clock.now += 2s;  // 31 s > 60 s - min(30 s, 60 s / 2)
  EXPECT_TRUE(p.get(false).ok);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace coregate::credentials
