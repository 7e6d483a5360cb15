#include "gateway/triggers/webhook_dispatcher.h"

#include <chrono>
#include <functional>

#include "gateway/engine/retry_policy.h"
#include "gateway/logging/logging.h"
#include "gateway/triggers/webhook_client.h"
#include "gateway/triggers/webhook_signature.h"

namespace coregate::triggers {
namespace {

// Events dispatched to lanes and not yet finished, per subscription: bounds memory while one
// subject is retrying and the others run ahead.
constexpr size_t kWindow = 4096;
constexpr size_t kReadBatch = 512;

}  // namespace

WebhookDispatcher::WebhookDispatcher(SubscriptionConfig config, TriggerStore& store,
                                     LogSignal& signal, SubscriptionMetrics metrics)
    : config_(std::move(config)), store_(store), signal_(signal), metrics_(metrics) {
  for (uint32_t i = 0; i < config_.concurrency; ++i) lanes_.push_back(std::make_unique<Lane>());
}

WebhookDispatcher::~WebhookDispatcher() {
  stop();
}

void WebhookDispatcher::start() {
  saved_offset_ = dispatched_upto_ = store_.subscription_offset(config_.name);
  for (auto& lane : lanes_) {
    Lane* raw = lane.get();
    lane->thread = std::thread([this, raw] { run_lane(*raw); });
  }
  reader_ = std::thread([this] { run_reader(); });
}

void WebhookDispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !reader_.joinable()) return;
    stopping_ = true;
  }
  signal_.interrupt();
  room_.notify_all();
  for (auto& lane : lanes_) lane->wake.notify_all();
  if (reader_.joinable()) reader_.join();
  for (auto& lane : lanes_) {
    if (lane->thread.joinable()) lane->thread.join();
  }
  try {
    save_offset_if_due(true);
  } catch (const std::exception& e) {
    logging::logger()->warn("subscription '{}': cannot save its offset: {}", name(), e.what());
  }
}

std::string WebhookDispatcher::health() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

size_t WebhookDispatcher::lane_of(const std::string& subject) const {
  return std::hash<std::string>{}(subject) % lanes_.size();
}

void WebhookDispatcher::replay(const DeadLetter& letter) {
  Item item;
  item.seq = letter.seq;
  item.id = letter.event_id;
  item.event_json = letter.event_json;
  item.replay = true;
  if (auto event = store_.read_one(letter.seq)) item.subject = event->subject;
  std::lock_guard lock(mutex_);
  Lane& lane = *lanes_[lane_of(item.subject)];
  lane.queue.push_back(std::move(item));
  lane.wake.notify_one();
}

void WebhookDispatcher::save_offset_if_due(bool force) {
  int64_t offset = 0;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    offset = pending_.empty() ? dispatched_upto_ : *pending_.begin() - 1;
    if (offset <= saved_offset_) return;
    if (!force && now - last_save_ < std::chrono::milliseconds(100)) return;
    last_save_ = now;
  }
  store_.save_subscription_offset(config_.name, offset);
  std::lock_guard lock(mutex_);
  if (offset > saved_offset_) saved_offset_ = offset;
}

void WebhookDispatcher::run_reader() {
  int64_t seen = signal_.last();
  for (;;) {
    int64_t after = 0;
    {
      std::unique_lock lock(mutex_);
      room_.wait(lock, [this] { return stopping_ || pending_.size() < kWindow; });
      if (stopping_) return;
      after = dispatched_upto_;
    }
    std::vector<LoggedEvent> batch;
    try {
      batch = store_.read_after(after, kReadBatch);
      save_offset_if_due(false);
    } catch (const std::exception& e) {
      logging::logger()->warn("subscription '{}': store read failed: {}", name(), e.what());
    }
    if (batch.empty()) {
      seen = signal_.wait_past(std::max(seen, after), std::chrono::milliseconds(100));
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      continue;
    }
    std::lock_guard lock(mutex_);
    for (auto& event : batch) {
      dispatched_upto_ = event.seq;
      if (!config_.wants(event.type)) continue;
      pending_.insert(event.seq);
      Lane& lane = *lanes_[lane_of(event.subject)];
      lane.queue.push_back(Item{event.seq, std::move(event.id), std::move(event.subject),
                                std::move(event.event_json), false});
      lane.wake.notify_one();
    }
  }
}

void WebhookDispatcher::run_lane(Lane& lane) {
  WebhookConnection connection(parse_webhook_url(config_.url), config_.timeout);
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mutex_);
      lane.wake.wait(lock, [&] { return stopping_ || !lane.queue.empty(); });
      if (stopping_) return;
      item = std::move(lane.queue.front());
      lane.queue.pop_front();
    }
    const auto first_attempt = std::chrono::system_clock::now();
    uint32_t failures = 0;
    for (;;) {
      const int64_t t = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
      auto result = connection.post(
          item.event_json,
          {{"Content-Type", "application/cloudevents+json; charset=utf-8"},
           {"Coregate-Signature", webhook_signature(config_.secret, t, item.event_json)},
           {"Coregate-Subscription", config_.name},
           {"Coregate-Delivery-Attempt", std::to_string(failures + 1)}});
      if (result.delivered) {
        ++counters_.delivered;
        if (metrics_.delivered) metrics_.delivered->inc();
        std::lock_guard lock(mutex_);
        if (!failure_.empty()) failure_.clear();
        break;
      }
      ++failures;
      ++counters_.failed_attempts;
      if (metrics_.failed_attempts) metrics_.failed_attempts->inc();
      {
        std::lock_guard lock(mutex_);
        failure_ = "event " + item.id + ": " + result.error;
      }
      auto decision =
          engine::next_retry(config_.retry, failures, first_attempt,
                             std::chrono::system_clock::now(), result.retry_after, random_);
      if (!decision.retry) {
        try {
          store_.add_dead_letter(config_.name, item.seq, failures,
                                 result.error + " (" + decision.reason + ")");
          ++counters_.dead_lettered;
          if (metrics_.dead_lettered) metrics_.dead_lettered->inc();
          logging::logger()->warn(
              "subscription '{}': event {} dead-lettered after {} attempt(s): {}", name(), item.id,
              failures, result.error);
        } catch (const std::exception& e) {
          // Not recorded: keep the event pending so it is sent again after a restart.
          logging::logger()->error("subscription '{}': cannot dead-letter event {}: {}", name(),
                                   item.id, e.what());
          std::unique_lock lock(mutex_);
          lane.wake.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
          if (stopping_) return;
          continue;
        }
        break;
      }
      std::unique_lock lock(mutex_);
      if (lane.wake.wait_for(lock, decision.delay, [this] { return stopping_; })) return;
    }
    finished(item);
  }
}

void WebhookDispatcher::finished(const Item& item) {
  if (item.replay) return;
  {
    std::lock_guard lock(mutex_);
    pending_.erase(item.seq);
  }
  room_.notify_one();
}

}  // namespace coregate::triggers
