// One poll source on its own thread: calls the adapter's poll hook with the stored cursor, turns
// the records into triggers (record_pipeline.h) and commits triggers, exceptions and the next
// cursor in one transaction (TriggerStore::commit_batch). A full batch polls again at once (while
// its commit is in flight; commits stay in order); a short one waits `interval`. A failing poll or
// commit is logged, shown in health() and retried after the interval; the cursor only moves with a
// successful commit, so nothing is skipped.
//
// Lifetime: the adapter, store and signal outlive the Poller. start()/stop() from one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateway/metrics/metrics_registry.h"
#include "gateway/plugin_host/adapter_instance.h"
#include "gateway/triggers/log_signal.h"
#include "gateway/triggers/record_pipeline.h"
#include "gateway/triggers/trigger_store.h"

namespace coregate::triggers {

// Prometheus series of one source (coregate_triggers_*_total{source}); null members are skipped.
struct SourceMetrics {
  metrics::Counter* ingested = nullptr;
  metrics::Counter* duplicates = nullptr;
  metrics::Counter* exceptions = nullptr;
  metrics::Counter* poll_failures = nullptr;
};

class Poller {
 public:
  Poller(PollSourceConfig config, CompiledRules rules, const plugin_host::AdapterInstance& adapter,
         TriggerStore& store, LogSignal& signal, SourceMetrics metrics = {});
  ~Poller();  // stop()

  void start();
  void stop();
  // "" when the last poll and commit worked, else the error. Thread-safe.
  std::string health() const;
  const std::string& name() const { return config_.rules.source; }

  struct Counters {
    std::atomic<uint64_t> polls{0};
    std::atomic<uint64_t> triggers{0};
    std::atomic<uint64_t> duplicates{0};
    std::atomic<uint64_t> exceptions{0};
  };
  const Counters& counters() const { return counters_; }

 private:
  struct Batch {
    size_t records = 0;
    std::optional<std::string> next;  // the cursor after this batch, when it moved
    std::vector<NewTrigger> triggers;
    std::vector<TriggerExceptionRecord> exceptions;
    bool full = false;  // poll again at once
  };
  void run();
  Batch poll_and_map(const std::string& cursor);
  // Commits the batch with its cursor (one transaction). Throws store::StoreError.
  void commit(Batch& batch);

  PollSourceConfig config_;
  CompiledRules rules_;
  const plugin_host::AdapterInstance& adapter_;
  TriggerStore& store_;
  LogSignal& signal_;
  SourceMetrics metrics_;
  Counters counters_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::string failure_;
  std::thread thread_;
};

}  // namespace coregate::triggers
