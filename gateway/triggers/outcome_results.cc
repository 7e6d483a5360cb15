#include "gateway/triggers/outcome_results.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "gateway/logging/logging.h"
#include "gateway/triggers/cloud_event.h"

namespace coregate::triggers {

NewTrigger outcome_result_trigger(const engine::OutcomeResultEvent& result) {
  boost::json::object data;
  data["outcome_id"] = result.outcome_id;
  data["type"] = result.type;
  data["subject"] = result.subject;
  data["status"] = result.status;
  if (result.trigger_id) data["trigger_id"] = *result.trigger_id;
  if (result.exception_id) data["exception_id"] = *result.exception_id;
  boost::json::array steps;
  for (const auto& step : result.steps) {
    boost::json::object item{
        {"index", step.index}, {"adapter", step.adapter}, {"status", step.status}};
    if (step.system_reference) item["system_reference"] = *step.system_reference;
    if (step.last_error) item["last_error"] = *step.last_error;
    steps.push_back(std::move(item));
  }
  data["steps"] = std::move(steps);

  CloudEvent event;
  event.id = result.outcome_id + "." + result.status;
  event.source = kOutcomeEventSource;
  event.type = "coregate.outcome." + result.status;
  if (!result.subject.empty()) event.subject = result.subject;
  event.time = rfc3339_ms(result.at_ms);
  event.datacontenttype = "application/json";
  event.data = std::move(data);
  return NewTrigger{event.id, event.type, result.subject, to_structured_json(event)};
}

OutcomeResultPublisher::OutcomeResultPublisher(TriggerStore& store, LogSignal& signal,
                                               metrics::HistogramFamily* time_to_writeback)
    : store_(store), signal_(signal), time_to_writeback_(time_to_writeback) {}

OutcomeResultPublisher::~OutcomeResultPublisher() {
  stop();
}

void OutcomeResultPublisher::start() {
  thread_ = std::thread([this] { run(); });
}

void OutcomeResultPublisher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutcomeResultPublisher::publish(const engine::OutcomeResultEvent& event) {
  auto trigger = outcome_result_trigger(event);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(trigger));
    if (time_to_writeback_ != nullptr && event.status == "applied" && event.trigger_id) {
      timings_.push_back(Timing{*event.trigger_id, event.type, event.at_ms});
    }
  }
  wake_.notify_one();
}

void OutcomeResultPublisher::commit(std::deque<NewTrigger>& batch) {
  std::vector<NewTrigger> triggers(std::make_move_iterator(batch.begin()),
                                   std::make_move_iterator(batch.end()));
  batch.clear();
  for (int attempt = 0;; ++attempt) {
    try {
      const auto committed = store_.commit_batch("outcomes", std::nullopt, triggers, {});
      if (committed.inserted > 0) signal_.advanced(committed.last_seq);
      return;
    } catch (const std::exception& e) {
      if (attempt >= 20) {
        logging::logger()->error("outcome results: {} event(s) lost, the store refused them: {}",
                                 triggers.size(), e.what());
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100 * (attempt + 1)));
    }
  }
}

void OutcomeResultPublisher::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    std::deque<NewTrigger> batch;
    batch.swap(queue_);
    std::vector<Timing> timings;
    timings.swap(timings_);
    lock.unlock();
    commit(batch);
    observe(timings);
    lock.lock();
  }
}

void OutcomeResultPublisher::observe(const std::vector<Timing>& timings) {
  for (const auto& timing : timings) {
    try {
      const auto seqs = store_.seqs_of({timing.trigger_id});
      if (seqs.empty() || !seqs[0]) continue;  // a trigger this gateway did not emit
      const auto logged = store_.read_one(*seqs[0]);
      if (!logged) continue;
      boost::system::error_code ec;
      const auto event = boost::json::parse(logged->event_json, ec);
      const auto* time = ec || !event.is_object() ? nullptr : event.as_object().if_contains("time");
      if (time == nullptr || !time->is_string()) continue;
      const auto emitted = parse_rfc3339_ms(time->as_string());
      if (!emitted) continue;
      time_to_writeback_->labels({timing.type})
          .observe(static_cast<double>(std::max<int64_t>(0, timing.applied_at_ms - *emitted)) /
                   1000.0);
    } catch (const std::exception&) {
      // A measurement, not a duty: a store hiccup must not stop result delivery.
    }
  }
}

}  // namespace coregate::triggers
