// The "triggers" section of the gateway config (DESIGN §4 "Triggers"):
//
//   "triggers": {
//     "store": "triggers.db",                      // default: beside the outcome store
//     "sources": {
//       "poll": {"failed_debits": {"adapter": "core", "poll_source": "failed_debits",
//                 "interval": "1s", "batch_size": 500, "mapping": "debit_to_payment_failed",
//                 "type": "payment.failed", "natural_key": ["order_id"],
//                 "subject": "/account/account_id"}},
//       "inbound": {"crm_events": {"adapter": "crm", "mapping": "...", "type": "...",
//                   "natural_key": ["event_id"]}}
//     },
//     "consumers": {"visibility_timeout": "30s", "groups": {"workflow": {"visibility_timeout":
//     "1m"}}}, "stream": {"heartbeat": "15s"}, "subscriptions": {"workflow": {"url":
//     "http://127.0.0.1:9000/hook",
//                       "types": ["coregate.trigger.payment.failed"], "secret":
//                       "${env:HOOK_SECRET}", "timeout": "5s", "concurrency": 4, "retry":
//                       {"max_attempts": 8, ...}}}
//   }
//
// Read once at start-up; every error is a config::ConfigError naming the key.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/config/config_node.h"
#include "gateway/engine/retry_policy.h"

namespace coregate::triggers {

// What turns a raw record of one source into a trigger. Shared by poll and inbound sources.
struct RecordRules {
  std::string source;   // the source's name in config (part of every trigger's stable id)
  std::string adapter;  // the adapter instance the records come from
  std::string mapping;  // mapping name (direction to_canonical); "" = records are canonical
  std::string type;     // canonical trigger type, e.g. payment.failed
  std::vector<std::string> natural_key;         // raw-record fields (names or JSON pointers)
  std::string subject = "/account/account_id";  // JSON pointer into the canonical data
};

struct PollSourceConfig {
  RecordRules rules;
  std::string poll_source;  // the adapter's own source name (default: the source's name)
  std::chrono::milliseconds interval{1000};
  uint32_t batch_size = 500;
};

struct InboundSourceConfig {
  RecordRules rules;
};

struct SubscriptionConfig {
  std::string name;
  std::string url;                 // http://host:port/path (plain HTTP; TLS is a later step)
  std::vector<std::string> types;  // CloudEvent types delivered; empty = all
  std::string secret;              // HMAC-SHA256 key; never logged
  std::chrono::milliseconds timeout{5000};
  uint32_t concurrency = 4;  // lanes; a subject always uses the same lane (ordered per subject)
  engine::RetryPolicy retry;

  bool wants(std::string_view type) const;
};

struct TriggersConfig {
  std::filesystem::path store_path;
  std::vector<PollSourceConfig> poll_sources;
  std::vector<InboundSourceConfig> inbound_sources;
  std::chrono::milliseconds default_visibility_timeout{30000};
  std::map<std::string, std::chrono::milliseconds, std::less<>> group_visibility_timeouts;
  std::chrono::milliseconds heartbeat{15000};
  std::vector<SubscriptionConfig> subscriptions;

  std::chrono::milliseconds visibility_timeout(std::string_view group) const;
  const InboundSourceConfig* inbound_for(std::string_view adapter) const;
};

// Reads root.triggers (absent = no sources, no subscriptions). `outcome_store_path` places the
// trigger store beside it by default. Structural checks only; wiring checks that adapters,
// mappings and schemas exist.
TriggersConfig triggers_config_from(const config::ConfigNode& root,
                                    const std::filesystem::path& outcome_store_path);

// A consumer-group or subscription name: [A-Za-z0-9][A-Za-z0-9._-]{0,63}.
bool is_valid_group_name(std::string_view name);

}  // namespace coregate::triggers
