#include "gateway/credentials/oauth2_client_credentials.h"

#include <algorithm>

namespace coregate::credentials {

OAuth2ClientCredentials::OAuth2ClientCredentials(Fetch fetch, OAuth2Timing timing, Clock clock)
    : fetch_(std::move(fetch)), timing_(timing), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

uint64_t OAuth2ClientCredentials::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

sdk::Fetched OAuth2ClientCredentials::get(bool force_refresh) {
  std::unique_lock lock(mutex_);
  auto now = clock_();
  if (force_refresh && cached_ && now - cached_->issued_at >= timing_.force_refresh_grace) {
    // Keep it only as a fallback: it is refreshed below, and served again only if that fails
    // before it expires (it was just refused, so it is moved past its refresh point).
    cached_->refresh_at = now;
  }
  while (true) {
    if (cached_ && now < cached_->refresh_at) return {true, cached_->value, {}};
    if (!refreshing_) break;
    uint64_t seen = generation_;
    refreshed_.wait(lock, [&] { return generation_ != seen; });
    now = clock_();
    if (cached_ && now < cached_->refresh_at) return {true, cached_->value, {}};
    // The refresh we waited for failed: share its failure rather than stampeding the endpoint.
    if (!last_error_.empty()) {
      if (cached_ && now < cached_->expires_at) return {true, cached_->value, {}};
      return {false, {}, last_error_};
    }
  }
  refreshing_ = true;
  ++fetches_;
  lock.unlock();
  IssuedToken token;
  try {
    token = fetch_();
  } catch (const std::exception& e) {
    token.ok = false;
    token.error = e.what();
  }
  lock.lock();
  refreshing_ = false;
  ++generation_;
  now = clock_();
  sdk::Fetched answer;
  if (token.ok) {
    auto lifetime = token.expires_in
                        ? std::chrono::duration_cast<std::chrono::milliseconds>(*token.expires_in)
                        : timing_.default_lifetime;
    // A skew longer than the lifetime would refresh on every call; keep at least half the life.
    auto skew = std::min(timing_.skew, lifetime / 2);
    std::string type = token.token_type;
    if (type.empty() || type == "bearer" || type == "BEARER") type = "Bearer";
    cached_ = Cached{type + " " + token.access_token, now, now + lifetime - skew, now + lifetime};
    last_error_.clear();
    answer = {true, cached_->value, {}};
  } else {
    last_error_ = token.error.empty() ? "token request failed" : token.error;
    if (cached_ && now < cached_->expires_at && !force_refresh) {
      answer = {true, cached_->value, {}};
    } else {
      answer = {false, {}, last_error_};
    }
  }
  refreshed_.notify_all();
  return answer;
}

}  // namespace coregate::credentials
