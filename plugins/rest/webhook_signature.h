// Verification of signed inbound webhooks: an HMAC over a configurable canonical string, a
// timestamp within a tolerance (older or future-dated requests are refused as replays) and a
// memory of signatures already accepted inside that window (an exact replay is refused too).
//
// The common schemes are configurations of this one rule:
//   Stripe:             header "stripe-signature", signature_key "v1", timestamp_key "t",
//                       canonical "{timestamp}.{body}"
//   Slack:              header "x-slack-signature", prefix "v0=", timestamp_header
//                       "x-slack-request-timestamp", canonical "v0:{timestamp}:{body}"
//   GitHub:             header "x-hub-signature-256", prefix "sha256=", canonical "{body}",
//                       no timestamp (tolerance then cannot apply; replay memory still does)
//   Standard Webhooks: header "webhook-signature", prefix "v1,", encoding base64,
//                       timestamp_header "webhook-timestamp",
//                       canonical "{header:webhook-id}.{timestamp}.{body}"
//
// Thread-safety: WebhookVerifier::verify may run concurrently (the replay memory has a lock).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "plugins/rest/hmac.h"

namespace coregate::plugins::rest {

struct WebhookSignatureRules {
  std::string header;  // lower-case header carrying the signature(s)
  std::string secret;  // the shared HMAC key
  DigestAlgorithm algorithm = DigestAlgorithm::kSha256;
  DigestEncoding encoding = DigestEncoding::kHex;
  std::string prefix;            // stripped from each signature ("sha256=", "v0=", "v1,")
  std::string signature_key;     // when set, the header is "k=v,k=v" and signatures are under it
  std::string timestamp_key;     // ... and the timestamp under this key
  std::string timestamp_header;  // or the timestamp in its own header
  std::string canonical = "{body}";
  std::chrono::seconds tolerance{300};
  bool timestamp_in_ms = false;  // the timestamp counts milliseconds, not seconds
};

// What one signature header holds.
struct ParsedSignatureHeader {
  std::vector<std::string> signatures;  // still encoded (hex / base64), prefix removed
  std::optional<std::string> timestamp;
};

// Splits a signature header according to the rules. Never throws; a malformed header yields no
// signatures.
ParsedSignatureHeader parse_signature_header(std::string_view value,
                                             const WebhookSignatureRules& rules);

// The canonical string for one request: {body}, {timestamp}, {method}, {target} and
// {header:<name>} are replaced; nullopt when a named header is missing.
std::optional<std::string> canonical_string(const WebhookSignatureRules& rules,
                                            std::string_view method, std::string_view target,
                                            const boost::json::object& headers,
                                            std::string_view timestamp, std::string_view body);

struct [[nodiscard]] Verification {
  bool ok = false;
  std::string reason;  // why a request is refused (never the secret or the expected MAC)
};

class WebhookVerifier {
 public:
  explicit WebhookVerifier(WebhookSignatureRules rules) : rules_(std::move(rules)) {}

  // headers: lower-case name -> string (as the host passes them).
  Verification verify(std::string_view method, std::string_view target,
                      const boost::json::object& headers, std::string_view body,
                      std::chrono::system_clock::time_point now);

  const WebhookSignatureRules& rules() const { return rules_; }

 private:
  bool remember(const std::string& signature, std::chrono::system_clock::time_point now);

  WebhookSignatureRules rules_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::system_clock::time_point> seen_;  // signature -> forget at
};

}  // namespace coregate::plugins::rest
