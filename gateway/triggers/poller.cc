#include "gateway/triggers/poller.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <future>

#include "gateway/logging/logging.h"
#include "gateway/store/sqlite_handle.h"

namespace coregate::triggers {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Poller::Poller(PollSourceConfig config, CompiledRules rules,
               const plugin_host::AdapterInstance& adapter, TriggerStore& store, LogSignal& signal,
               SourceMetrics metrics)
    : config_(std::move(config)),
      rules_(std::move(rules)),
      adapter_(adapter),
      store_(store),
      signal_(signal),
      metrics_(metrics) {}

Poller::~Poller() {
  stop();
}

void Poller::start() {
  thread_ = std::thread([this] { run(); });
}

void Poller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string Poller::health() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

void Poller::run() {
  // The position the next poll starts from: the committed cursor, or the cursor of the batch
  // being committed (polling the next batch overlaps the previous commit's fsync). Commits stay
  // in order and each carries its own cursor, so a crash at any point leaves the store at the
  // end of some committed batch: the next run polls from there again and deduplicates.
  std::optional<std::string> cursor;
  std::future<void> committing;
  auto finish_commit = [&] {
    if (committing.valid()) committing.get();
  };
  for (;;) {
    bool full = false;
    std::string failure;
    try {
      if (!cursor) cursor = store_.cursor(name()).value_or("");
      Batch batch = poll_and_map(*cursor);
      finish_commit();  // the previous batch first; if it failed, this one is dropped
      full = batch.full;
      if (!batch.triggers.empty() || !batch.exceptions.empty() || batch.next) {
        if (batch.next) cursor = *batch.next;
        committing =
            std::async(std::launch::async, [this, b = std::move(batch)]() mutable { commit(b); });
      }
      if (!full) finish_commit();
    } catch (const std::exception& e) {
      failure = e.what();
      if (metrics_.poll_failures) metrics_.poll_failures->inc();
      try {
        finish_commit();
      } catch (const std::exception&) {
      }
      cursor.reset();  // start again from what is committed
    }
    std::unique_lock lock(mutex_);
    if (failure != failure_) {
      if (!failure.empty()) {
        logging::logger()->warn("trigger source '{}': {}", name(), failure);
      } else {
        logging::logger()->info("trigger source '{}' recovered", name());
      }
      failure_ = failure;
    }
    if (stopping_) break;
    if (full && failure.empty()) continue;
    if (wake_.wait_for(lock, config_.interval, [this] { return stopping_; })) break;
  }
  try {
    finish_commit();
  } catch (const std::exception& e) {
    logging::logger()->warn("trigger source '{}': last commit failed: {}", name(), e.what());
  }
}

Poller::Batch Poller::poll_and_map(const std::string& cursor) {
  ++counters_.polls;
  const auto started = std::chrono::steady_clock::now();
  auto polled = adapter_.poll(
      plugin_host::PollCall{config_.poll_source, cursor, config_.batch_size,
                            now_ms() + std::max<int64_t>(30000, config_.interval.count())});
  if (!polled.ok) throw std::runtime_error("poll failed: " + polled.error);
  boost::system::error_code ec;
  boost::json::value records = boost::json::parse(polled.records_json, ec);
  if (ec || !records.is_array()) {
    throw std::runtime_error("poll returned records that are not a JSON array");
  }
  const auto& array = records.as_array();
  const auto polled_at = std::chrono::steady_clock::now();
  Batch batch;
  batch.records = array.size();
  batch.triggers.reserve(array.size());
  RecordContext context;
  context.now_ms = now_ms();
  for (const auto& raw : array) {
    auto verdict = make_trigger(rules_, raw, context);
    if (verdict.ok) {
      batch.triggers.push_back(std::move(verdict.trigger));
    } else {
      batch.exceptions.push_back(
          {name(), std::move(verdict.reason), boost::json::serialize(raw), std::move(verdict.key)});
    }
  }
  // An adapter that answers no records may still move the cursor; an empty next cursor keeps ours.
  if (!polled.next_cursor.empty() && polled.next_cursor != cursor) batch.next = polled.next_cursor;
  batch.full = array.size() >= config_.batch_size && batch.next.has_value();
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  logging::logger()->debug("trigger source '{}': {} record(s): poll {:.1f} ms, map {:.1f} ms",
                           name(), array.size(), ms(polled_at - started),
                           ms(std::chrono::steady_clock::now() - polled_at));
  return batch;
}

void Poller::commit(Batch& batch) {
  const auto committed = store_.commit_batch(name(), batch.next, batch.triggers, batch.exceptions);
  counters_.triggers += committed.inserted;
  counters_.duplicates += committed.duplicates;
  counters_.exceptions += batch.exceptions.size();
  if (metrics_.ingested) metrics_.ingested->inc(static_cast<double>(committed.inserted));
  if (metrics_.duplicates) metrics_.duplicates->inc(static_cast<double>(committed.duplicates));
  if (metrics_.exceptions) metrics_.exceptions->inc(static_cast<double>(batch.exceptions.size()));
  if (!batch.exceptions.empty()) {
    logging::logger()->warn("trigger source '{}': {} record(s) moved to the trigger exceptions",
                            name(), batch.exceptions.size());
  }
  if (committed.inserted > 0) signal_.advanced(committed.last_seq);
}

}  // namespace coregate::triggers
