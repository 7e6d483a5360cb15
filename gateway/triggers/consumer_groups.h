// Pull delivery (GET /v1/consumers/{group}/triggers, POST /v1/consumers/{group}/ack): each group
// reads the whole trigger log in seq order, independently of every other group. A pulled event is
// leased for the group's visibility timeout; acknowledged, it never comes back to that group; not
// acknowledged in time, the next pull returns it again (before newer events).
//
// Durability: acknowledgements are committed (floor + acks above it) before ack() returns.
// Leases live in memory: after a restart every unacknowledged event is due again at once, which
// is the at-least-once promise (consumers deduplicate by CloudEvent id).
//
// Thread-safety: thread-safe; calls for one group are serialized, groups run in parallel.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/triggers/trigger_store.h"
#include "gateway/triggers/triggers_config.h"

namespace coregate::triggers {

struct [[nodiscard]] AckResult {
  size_t acknowledged = 0;
  std::vector<std::string> not_pending;  // ids unknown, never pulled, or already acknowledged
};

class ConsumerGroups {
 public:
  ConsumerGroups(TriggerStore& store, const TriggersConfig& config);

  // Up to `limit` events, in seq order: expired leases first, then events never pulled.
  // Throws store::StoreError.
  std::vector<LoggedEvent> pull(std::string_view group, size_t limit, int64_t now_ms);
  // Acknowledges by CloudEvent id. Throws store::StoreError (nothing is acknowledged then).
  AckResult ack(std::string_view group, const std::vector<std::string>& ids);

 private:
  struct Lease {
    int64_t until_ms = 0;
    uint32_t deliveries = 0;
  };
  struct Group {
    std::mutex mutex;
    bool loaded = false;
    int64_t floor = 0;        // every seq <= floor is acknowledged
    int64_t handed_upto = 0;  // every seq <= handed_upto was pulled (or acknowledged)
    std::set<int64_t> acked;  // acknowledged seqs above floor
    std::map<int64_t, Lease> leased;
  };
  Group& group(std::string_view name);
  void load(std::string_view name, Group& group);

  TriggerStore& store_;
  const TriggersConfig& config_;
  std::mutex groups_mutex_;
  std::map<std::string, std::unique_ptr<Group>, std::less<>> groups_;
};

}  // namespace coregate::triggers
