// The REST adapter's config block, parsed and checked once at create (docs/plugins/rest.md).
// Immutable afterwards; safe to share across threads.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <coregate/sdk/config.h>

#include "plugins/rest/classification.h"
#include "plugins/rest/http_client.h"
#include "plugins/rest/request_signing.h"
#include "plugins/rest/webhook_signature.h"

namespace coregate::plugins::rest {

// A name -> template list kept in config order (query parameters, headers).
using TemplatePairs = std::vector<std::pair<std::string, std::string>>;

struct ProbeSettings {
  std::string path;  // GET template, e.g. "/arrangements?idempotency_key={idempotency_key}"
  TemplatePairs query;
  std::string reference_pointer = "/id";  // in the found object (or the array's first element)
  std::string records_pointer;            // where the array of matches is ("" = the body)
};

struct Operation {
  std::string name;
  std::string method = "POST";
  std::string path;  // template
  TemplatePairs query;
  TemplatePairs headers;
  bool send_body = true;
  ClassificationRules rules;
  std::optional<ProbeSettings> probe;
};

struct PollSource {
  std::string name;
  std::string path;  // template over {cursor} only, or a plain path
  TemplatePairs query;
  std::string cursor_param;           // query parameter carrying the cursor ("since", "cursor")
  std::string initial_cursor;         // sent on the very first poll ("" = parameter left out)
  std::string records_pointer;        // where the page's array is ("" = the body)
  std::string record_cursor_pointer;  // since-style: the cursor is this field of the last record
  std::string next_cursor_pointer;    // cursor-style: the page names the next cursor here
  bool follow_link_header = true;     // page by Link rel="next"
  std::string limit_param;            // sends max_records as this parameter when set
  int max_pages = 10;                 // pages fetched per poll at most
};

struct HealthSettings {
  std::string path = "/";
  std::set<int> healthy_statuses;  // empty = any 2xx
};

struct WebhookSettings {
  std::optional<WebhookSignatureRules> signature;
  std::string records_pointer;  // where the records array is; "" = the body (array or object)
};

struct RestSettings {
  std::string base_url;
  std::string base_path;  // the base URL's path, prefixed to every request path ("" or "/api")
  ClientOptions client;
  std::string idempotency_header = "Idempotency-Key";
  TemplatePairs default_headers;
  std::string auth_provider;  // a gateway "credentials" provider; "" = none
  std::string auth_header = "Authorization";
  std::optional<SigningRules> signing;
  int max_redirects = 5;
  std::map<std::string, Operation, std::less<>> operations;
  HealthSettings health;
  bool has_health = false;
  WebhookSettings webhook;
  std::map<std::string, PollSource, std::less<>> poll_sources;
};

// Throws sdk::ConfigError naming the key.
RestSettings parse_settings(const sdk::AdapterConfig& config);

}  // namespace coregate::plugins::rest
