// The testing adapter's system of record: which idempotency keys were applied, in what order,
// under which reference. Memory always; a Journal as well when the config names one.
// Thread-safe: every method may be called from any number of threads at once. apply() is atomic
// per key: of two concurrent writes with one key exactly one is fresh.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <coregate/sdk/requests.h>

#include "plugins/testing/journal.h"

namespace coregate::plugins::testing {

class RecordStore {
 public:
  RecordStore(std::string reference_prefix, bool keep_records);

  // Attaches the journal at `path` and reloads every write it holds (so a restarted gateway sees
  // them). Call once, before any other method. Throws std::runtime_error naming file and line.
  void open_journal(const std::string& path, bool fsync, std::string& warning);

  enum class Status {
    kFresh,              // applied now, durable
    kExisting,           // was applied before, durable; reference is the original one
    kNotApplied,         // the journal could not take the line; nothing was applied
    kDurabilityUnknown,  // the line was written but fdatasync failed: it may or may not survive
  };
  struct [[nodiscard]] Outcome {
    Status status = Status::kNotApplied;
    uint64_t seq = 0;
    std::string reference;
    std::string error;  // for kNotApplied and kDurabilityUnknown
  };
  // Records the write unless its key is already applied. `answered` is stored in the journal
  // line ("applied", "ambiguous", "already_applied") to show what the caller was told.
  Outcome apply(const sdk::WriteRequest& request, std::string_view answered, int64_t now_unix_ms);

  // The reference of an applied key, once durable; nullopt when the key was never applied.
  // error is set (and nullopt returned) when durability cannot be told.
  std::optional<std::string> find(std::string_view key, std::string& error);

  size_t size() const;
  // Every kept record as its journal line object, in apply order; only subject's when not empty.
  // Empty unless keep_records.
  boost::json::array records(std::string_view subject) const;
  bool keeps_records() const { return keep_records_; }
  // Why the journal refuses writes, or empty.
  std::string journal_problem() const;

 private:
  struct Entry {
    uint64_t seq = 0;
    std::string reference;
    uint64_t ticket = 0;  // journal ticket to wait for; 0: loaded from disk, already durable
  };
  Outcome wait(const Entry& entry, Status success);

  std::string reference_prefix_;
  bool keep_records_;
  std::unique_ptr<Journal> journal_;
  mutable std::mutex mutex_;
  uint64_t last_seq_ = 0;
  std::unordered_map<std::string, Entry> by_key_;
  std::vector<std::string> lines_;  // serialized journal lines in seq order (keep_records only)
};

// "2026-11-22T16:28:32.123Z"
std::string format_utc_ms(int64_t unix_ms);

}  // namespace coregate::plugins::testing
