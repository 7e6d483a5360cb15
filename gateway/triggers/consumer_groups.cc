#include "gateway/triggers/consumer_groups.h"

#include <algorithm>

namespace coregate::triggers {

ConsumerGroups::ConsumerGroups(TriggerStore& store, const TriggersConfig& config)
    : store_(store), config_(config) {}

ConsumerGroups::Group& ConsumerGroups::group(std::string_view name) {
  std::lock_guard lock(groups_mutex_);
  auto it = groups_.find(name);
  if (it == groups_.end()) it = groups_.emplace(std::string(name), std::make_unique<Group>()).first;
  return *it->second;
}

void ConsumerGroups::load(std::string_view name, Group& group) {
  if (group.loaded) return;
  auto state = store_.load_group(name);
  group.floor = state.floor;
  group.handed_upto = state.floor;
  group.acked = std::set<int64_t>(state.acked.begin(), state.acked.end());
  group.loaded = true;
}

std::vector<LoggedEvent> ConsumerGroups::pull(std::string_view name, size_t limit, int64_t now_ms) {
  Group& g = group(name);
  std::lock_guard lock(g.mutex);
  load(name, g);
  const int64_t lease_until = now_ms + config_.visibility_timeout(name).count();
  std::vector<LoggedEvent> out;
  for (auto& [seq, lease] : g.leased) {
    if (out.size() >= limit) break;
    if (lease.until_ms > now_ms) continue;
    if (auto event = store_.read_one(seq)) {
      lease.until_ms = lease_until;
      ++lease.deliveries;
      out.push_back(std::move(*event));
    }
  }
  while (out.size() < limit) {
    auto batch = store_.read_after(g.handed_upto, limit - out.size());
    if (batch.empty()) break;
    for (auto& event : batch) {
      g.handed_upto = event.seq;
      if (g.acked.count(event.seq) != 0) continue;  // acknowledged before a restart
      g.leased[event.seq] = Lease{lease_until, 1};
      out.push_back(std::move(event));
    }
  }
  return out;
}

AckResult ConsumerGroups::ack(std::string_view name, const std::vector<std::string>& ids) {
  Group& g = group(name);
  std::lock_guard lock(g.mutex);
  load(name, g);
  AckResult result;
  const auto seqs = store_.seqs_of(ids);
  std::vector<int64_t> acked;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!seqs[i] || g.leased.count(*seqs[i]) == 0) {
      result.not_pending.push_back(ids[i]);
      continue;
    }
    acked.push_back(*seqs[i]);
  }
  if (acked.empty()) return result;
  // Every seq in (floor, handed_upto] is leased or acknowledged, so the new floor is just below
  // the oldest lease still open.
  std::sort(acked.begin(), acked.end());
  acked.erase(std::unique(acked.begin(), acked.end()), acked.end());
  auto oldest_open = g.leased.begin();
  while (oldest_open != g.leased.end() &&
         std::binary_search(acked.begin(), acked.end(), oldest_open->first)) {
    ++oldest_open;
  }
  const int64_t floor = oldest_open == g.leased.end() ? g.handed_upto : oldest_open->first - 1;
  store_.save_group(name, floor, acked);  // throws: nothing changes in memory
  for (const int64_t seq : acked) {
    g.leased.erase(seq);
    g.acked.insert(seq);
  }
  g.floor = floor;
  g.acked.erase(g.acked.begin(), g.acked.upper_bound(floor));
  result.acknowledged = acked.size();
  return result;
}

}  // namespace coregate::triggers
