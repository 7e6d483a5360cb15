// The REST adapter: idempotent writeback to HTTP/JSON systems, probe by a GET template, polling
// with since/cursor parameters and Link or next-cursor paging, signed inbound webhooks, health by
// a configured GET (issue 7; docs/plugins/rest.md).
//
// Write: the record selects a configured operation (method + path template + query + headers);
// the body is the record's "body" (or the record itself); the step's idempotency key travels in
// the Idempotency-Key header (configurable). Credentials come from a gateway provider through the
// host (a 401 refreshes them once and retries once). The answer is classified by
// classification.h; redirects are followed on the same origin only, up to max_redirects.
//
// Thread-safety: write, probe, health and inbound may run concurrently (the HTTP client pools a
// session per concurrent call); poll is never concurrent with itself (ABI) but may run beside them.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <string>

#include <coregate/sdk/adapter.h>
#include <coregate/sdk/config.h>
#include <coregate/sdk/host.h>

#include "plugins/rest/http_client.h"
#include "plugins/rest/settings.h"
#include "plugins/rest/webhook_signature.h"

namespace coregate::plugins::rest {

class RestAdapter : public sdk::Adapter {
 public:
  // Throws sdk::ConfigError for a bad config, std::runtime_error for a bad TLS setup.
  RestAdapter(const sdk::AdapterConfig& config, sdk::Host host);
  ~RestAdapter() override;

  sdk::WriteResult write(const sdk::WriteRequest& request) override;
  sdk::ProbeResult probe(const sdk::ProbeRequest& request) override;
  sdk::PollResult poll(const sdk::PollRequest& request) override;
  sdk::InboundReply inbound(const sdk::InboundRequest& request) override;
  sdk::HealthResult health(const sdk::HealthRequest& request) override;

 private:
  // An exchange after redirects: either an answer/transport failure, or why it was abandoned.
  struct Sent {
    Exchange exchange;
    std::string refusal;  // redirect limit exceeded, cross-origin redirect, deadline passed
  };
  Sent exchange(OutgoingRequest request, sdk::Clock::time_point deadline,
                std::string_view idempotency_key);
  // Adds the credential header; false (with *error) when the provider cannot give one.
  bool authorize(OutgoingRequest& request, bool force_refresh, std::string* error) const;
  void sign(OutgoingRequest& request, std::string_view idempotency_key) const;
  // Path and query of a same-origin Location/Link target, or nullopt for another origin.
  std::optional<std::string> same_origin_target(std::string_view location,
                                                std::string_view current_target) const;
  Sent get(const std::string& target, sdk::Clock::time_point deadline);

  std::string name_;
  sdk::Host host_;
  RestSettings settings_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<WebhookVerifier> webhook_;
};

}  // namespace coregate::plugins::rest
