// OAuth2 client-credentials provider: one access token shared by every adapter that names this
// provider, cached until its expiry minus a skew, refreshed by exactly one caller at a time.
//
// Refresh rules (docs/plugins/rest.md, "Credentials"):
// - A cached token is served until expires_at - skew. The first caller after that refreshes; every
//   caller arriving while that refresh is in flight waits for it and shares its result, so a burst
//   of 64 writers makes one token request, not 64.
// - force_refresh (an adapter saw 401) discards the cached token unless it was issued within the
//   last `force_refresh_grace`: the 63 other writers that saw the same 401 then reuse the token the
//   first one fetched instead of each fetching another.
// - When a refresh fails while the old token has not yet truly expired, the old token is served
//   (the skew exists for exactly this); otherwise the failure is returned to every waiter.
//
// Thread-safety: get() is safe from any thread. The fetch runs outside the lock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "gateway/credentials/credential_provider.h"
#include "gateway/credentials/token_endpoint.h"

namespace coregate::credentials {

struct OAuth2Timing {
  std::chrono::milliseconds skew{30000};                // refresh this long before expiry
  std::chrono::milliseconds default_lifetime{300000};   // when the answer has no expires_in
  std::chrono::milliseconds force_refresh_grace{2000};  // see force_refresh above
};

class OAuth2ClientCredentials : public CredentialProvider {
 public:
  using Fetch = std::function<IssuedToken()>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `fetch` performs one token request (TokenEndpoint::request in production); `clock` defaults
  // to steady_clock (tests pass a fake).
  OAuth2ClientCredentials(Fetch fetch, OAuth2Timing timing, Clock clock = {});

  sdk::Fetched get(bool force_refresh) override;
  std::string kind() const override { return "oauth2_client_credentials"; }

  // Token requests made so far (successful or not).
  uint64_t fetch_count() const;

 private:
  struct Cached {
    std::string value;  // "Bearer <token>"
    std::chrono::steady_clock::time_point issued_at, refresh_at, expires_at;
  };

  Fetch fetch_;
  OAuth2Timing timing_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::condition_variable refreshed_;
  std::optional<Cached> cached_;
  bool refreshing_ = false;
  uint64_t generation_ = 0;  // bumped when a refresh ends
  uint64_t fetches_ = 0;
  std::string last_error_;
};

}  // namespace coregate::credentials
