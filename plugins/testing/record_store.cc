#include "plugins/testing/record_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <utility>

namespace coregate::plugins::testing {

std::string format_utc_ms(int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  int millis = static_cast<int>(unix_ms % 1000);
  if (millis < 0) millis += 1000, --seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return text;
}

RecordStore::RecordStore(std::string reference_prefix, bool keep_records)
    : reference_prefix_(std::move(reference_prefix)), keep_records_(keep_records) {}

void RecordStore::open_journal(const std::string& path, bool fsync, std::string& warning) {
  auto on_line = [this](std::string_view text, size_t) {
    boost::json::value parsed = boost::json::parse(text);
    if (!parsed.is_object()) throw std::runtime_error("not a JSON object");
    const auto& line = parsed.as_object();
    const auto* key = line.if_contains("key");
    const auto* seq = line.if_contains("seq");
    const auto* reference = line.if_contains("reference");
    if (key == nullptr || !key->is_string() || seq == nullptr || !seq->is_number() ||
        reference == nullptr || !reference->is_string()) {
      throw std::runtime_error(
          "lacks a string \"key\", a number \"seq\" or a string \"reference\"");
    }
    uint64_t n = seq->to_number<uint64_t>();
    if (n <= last_seq_) throw std::runtime_error("seq " + std::to_string(n) + " is not increasing");
    std::string k(key->as_string());
    if (by_key_.contains(k)) {
      // By construction a key is journaled once; a repeat means the file was doubled elsewhere.
      throw std::runtime_error("key '" + k + "' appears twice");
    }
    last_seq_ = n;
    by_key_.emplace(std::move(k), Entry{n, std::string(reference->as_string()), 0});
    if (keep_records_) lines_.emplace_back(text);
  };
  journal_ = std::make_unique<Journal>(path, fsync, on_line, warning);
}

RecordStore::Outcome RecordStore::apply(const sdk::WriteRequest& request, std::string_view answered,
                                        int64_t now_unix_ms) {
  std::unique_lock lock(mutex_);
  auto found = by_key_.find(std::string(request.idempotency_key));
  if (found != by_key_.end()) {
    Entry entry = found->second;
    lock.unlock();
    return wait(entry, Status::kExisting);
  }
  uint64_t seq = last_seq_ + 1;
  std::string reference = reference_prefix_ + std::to_string(seq);
  std::string text;
  if (journal_ || keep_records_) {
    boost::json::object line;
    line["seq"] = seq;
    line["key"] = request.idempotency_key;
    line["outcome_id"] = request.outcome_id;
    line["subject"] = request.subject;
    line["outcome_type"] = request.outcome_type;
    line["reference"] = reference;
    line["record"] = request.record;
    line["attempt"] = request.attempt;
    line["answered"] = answered;
    line["applied_at"] = format_utc_ms(now_unix_ms);
    line["applied_at_ms"] = now_unix_ms;
    text = boost::json::serialize(line);
  }
  uint64_t ticket = 0;
  if (journal_) {
    Journal::Appended appended = journal_->append(text);
    if (!appended.ok) return {Status::kNotApplied, 0, {}, appended.error};
    ticket = appended.ticket;
  }
  last_seq_ = seq;
  Entry entry{seq, std::move(reference), ticket};
  by_key_.emplace(std::string(request.idempotency_key), entry);
  if (keep_records_) lines_.push_back(std::move(text));
  lock.unlock();
  return wait(entry, Status::kFresh);
}

RecordStore::Outcome RecordStore::wait(const Entry& entry, Status success) {
  if (journal_ && entry.ticket != 0) {
    std::string error;
    if (!journal_->wait_durable(entry.ticket, error)) {
      return {Status::kDurabilityUnknown, entry.seq, entry.reference, error};
    }
  }
  return {success, entry.seq, entry.reference, {}};
}

std::optional<std::string> RecordStore::find(std::string_view key, std::string& error) {
  std::unique_lock lock(mutex_);
  auto found = by_key_.find(std::string(key));
  if (found == by_key_.end()) return std::nullopt;
  Entry entry = found->second;
  lock.unlock();
  Outcome outcome = wait(entry, Status::kExisting);
  if (outcome.status != Status::kExisting) {
    error = outcome.error;
    return std::nullopt;
  }
  return outcome.reference;
}

size_t RecordStore::size() const {
  std::lock_guard lock(mutex_);
  return by_key_.size();
}

boost::json::array RecordStore::records(std::string_view subject) const {
  std::vector<std::string> copy;
  {
    std::lock_guard lock(mutex_);
    copy = lines_;
  }
  boost::json::array out;
  for (const auto& text : copy) {
    boost::json::value line = boost::json::parse(text);
    const auto* s = line.as_object().if_contains("subject");
    if (!subject.empty() && (s == nullptr || !s->is_string() || s->as_string() != subject)) {
      continue;
    }
    out.push_back(std::move(line));
  }
  return out;
}

std::string RecordStore::journal_problem() const {
  return journal_ ? journal_->problem() : std::string();
}

}  // namespace coregate::plugins::testing
