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
#include "gateway/triggers/log_signal.h"
#include "gateway/triggers/trigger_store.h"

namespace coregate::triggers {

inline constexpr char kOutcomeEventSource[] = "/coregate/outcomes";

// The log entry for one outcome result (structured CloudEvent JSON inside).
NewTrigger outcome_result_trigger(const engine::OutcomeResultEvent& event);

class OutcomeResultPublisher {
 public:
  OutcomeResultPublisher(TriggerStore& store, LogSignal& signal);
  ~OutcomeResultPublisher();  // stop()

  void start();
  void stop();
  void publish(const engine::OutcomeResultEvent& event);

 private:
  void run();
  void commit(std::deque<NewTrigger>& batch);

  TriggerStore& store_;
  LogSignal& signal_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<NewTrigger> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace coregate::triggers
