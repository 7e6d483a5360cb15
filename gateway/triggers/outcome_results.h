// Outcome results as events (DESIGN §6 "Events"): the engine's OutcomeResultEvent becomes a
// CloudEvent coregate.outcome.applied / coregate.outcome.failed appended to the trigger log, so
// pull, SSE and webhooks deliver it like any trigger. The id is "<outcome id>.<status>": a
// repeated publish of the same final state is deduplicated by the log.
//
// publish() only queues (the engine's thread never waits for disk); one thread commits what is
// queued in batches. Thread-safe. stop() commits what is still queued.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "gateway/engine/outcome_result_event.h"
#include "gateway/metrics/metrics_registry.h"
#include "gateway/triggers/log_signal.h"
#include "gateway/triggers/trigger_store.h"

namespace coregate::triggers {

inline constexpr char kOutcomeEventSource[] = "/coregate/outcomes";

// The log entry for one outcome result (structured CloudEvent JSON inside).
NewTrigger outcome_result_trigger(const engine::OutcomeResultEvent& event);

// Also measures the resolution time operators care about: for an applied outcome that names its
// trigger, the time from the trigger's emission (its CloudEvent `time`) to the writeback, into
// `time_to_writeback` (labels: outcome type). Looked up on the publisher's thread, never the
// engine's.
class OutcomeResultPublisher {
 public:
  OutcomeResultPublisher(TriggerStore& store, LogSignal& signal,
                         metrics::HistogramFamily* time_to_writeback = nullptr);
  ~OutcomeResultPublisher();  // stop()

  void start();
  void stop();
  void publish(const engine::OutcomeResultEvent& event);

 private:
  void run();
  void commit(std::deque<NewTrigger>& batch);
  struct Timing {
    std::string trigger_id;
    std::string type;
    int64_t applied_at_ms = 0;
  };
  void observe(const std::vector<Timing>& timings);

  TriggerStore& store_;
  LogSignal& signal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<NewTrigger> queue_;
  std::vector<Timing> timings_;
  metrics::HistogramFamily* time_to_writeback_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace coregate::triggers
