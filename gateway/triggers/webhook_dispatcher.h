// Delivers the trigger log to one webhook subscription (DESIGN §4): a reader thread walks the log
// in seq order, keeps the events whose type the subscription wants, and hands each to one of
// `concurrency` lanes chosen by its subject, so events of one subject are POSTed one after the
// other, in order, while other subjects proceed. A failed POST (non-2xx, timeout, refused) is
// retried in place with capped, fully jittered backoff (engine::next_retry); when the budget is
// spent the event is dead-lettered and the lane moves on. Every subscription has its own threads
// and connections: one failing receiver never delays another.
//
// Progress: the subscription's offset (every event <= offset delivered or dead-lettered) is
// committed every 100 ms. After a crash the events above it are sent again: at-least-once,
// receivers deduplicate by CloudEvent id.
//
// Lifetime: store and signal outlive the dispatcher. start()/stop() from one thread; replay()
// and health() are thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gateway/engine/random_source.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/triggers/log_signal.h"
#include "gateway/triggers/trigger_store.h"
#include "gateway/triggers/triggers_config.h"

namespace coregate::triggers {

// Prometheus series of one subscription
// (coregate_webhook_deliveries_total{subscription, result}); null members are skipped.
struct SubscriptionMetrics {
  metrics::Counter* delivered = nullptr;
  metrics::Counter* failed_attempts = nullptr;
  metrics::Counter* dead_lettered = nullptr;
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(SubscriptionConfig config, TriggerStore& store, LogSignal& signal,
                    SubscriptionMetrics metrics = {});
  ~WebhookDispatcher();  // stop()

  void start();
  // Stops after the POSTs in progress; events not delivered stay above the offset.
  void stop();
  // Sends a dead-lettered event again (out of the normal order, on its subject's lane).
  void replay(const DeadLetter& letter);
  // "" when the last delivery worked, else the last failure. Thread-safe.
  std::string health() const;
  const std::string& name() const { return config_.name; }

  struct Counters {
    std::atomic<uint64_t> delivered{0};
    std::atomic<uint64_t> failed_attempts{0};
    std::atomic<uint64_t> dead_lettered{0};
  };
  const Counters& counters() const { return counters_; }

 private:
  struct Item {
    int64_t seq = 0;
    std::string id;
    std::string subject;
    std::string event_json;
    bool replay = false;
  };
  struct Lane {
    std::deque<Item> queue;
    std::condition_variable wake;
    std::thread thread;
  };

  void run_reader();
  void run_lane(Lane& lane);
  void finished(const Item& item);
  size_t lane_of(const std::string& subject) const;
  void save_offset_if_due(bool force);

  SubscriptionConfig config_;
  TriggerStore& store_;
  LogSignal& signal_;
  engine::SystemRandom random_;
  SubscriptionMetrics metrics_;
  Counters counters_;

  mutable std::mutex mutex_;
  std::condition_variable room_;  // the reader waits here when the window is full
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::set<int64_t> pending_;  // dispatched, not yet delivered or dead-lettered
  int64_t dispatched_upto_ = 0;
  int64_t saved_offset_ = 0;
  std::chrono::steady_clock::time_point last_save_{};
  bool stopping_ = false;
  std::string failure_;
  std::thread reader_;
};

}  // namespace coregate::triggers
