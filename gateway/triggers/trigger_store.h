// The trigger side's own SQLite file (triggers.db beside the outcome store; WAL,
// synchronous=FULL): the trigger log (ordered by seq), each poll source's cursor, consumer-group
// acknowledgements, webhook subscriptions' progress, dead letters and trigger exceptions.
//
// The exactly-once ingestion contract lives in commit_batch(): the new triggers (deduplicated by
// their stable id), the records that failed and the source's next cursor are ONE transaction, so
// a crash leaves either all of it or none of it, and a re-poll of committed rows adds nothing.
//
// Thread-safety: every member is thread-safe. Writes are serialized on one connection; reads use a
// small pool of connections (WAL readers never wait for the writer). Errors: store::StoreError
// (callers on the data path catch it: pollers retry, handlers answer 503).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::triggers {

struct NewTrigger {
  std::string id;  // stable CloudEvent id (see stable_id.h)
  std::string type;
  std::string subject;
  std::string event_json;  // the structured CloudEvent, stored and delivered verbatim
};

struct TriggerExceptionRecord {
  std::string source;
  std::string reason;
  std::string record_json;  // the raw record as received
  // Identity of the record within its source (its would-be trigger id, or a hash of the record):
  // a re-polled bad record updates its exception instead of adding another. "" = always new.
  std::string key;
};

struct [[nodiscard]] BatchCommit {
  size_t inserted = 0;
  size_t duplicates = 0;  // ids already in the log: a re-poll or a re-sent event
  int64_t last_seq = 0;   // the log's last seq after the commit
  std::vector<int64_t> exception_ids;
};

struct LoggedEvent {
  int64_t seq = 0;
  std::string id;
  std::string type;
  std::string subject;
  std::string event_json;
};

struct DeadLetter {
  int64_t id = 0;
  std::string subscription;
  int64_t seq = 0;
  std::string event_id;
  int64_t attempts = 0;
  std::string last_error;
  int64_t created_ms = 0;
  std::optional<int64_t> replayed_ms;
  std::string event_json;
};

struct TriggerExceptionRow {
  int64_t id = 0;
  std::string source;
  std::string reason;
  std::string record_json;
  int64_t created_ms = 0;
  int64_t occurrences = 1;  // how often the same record failed (re-polls, re-sends)
};

class TriggerStore {
 public:
  // Opens or creates the file (and its folder). Throws store::StoreError naming the path.
  explicit TriggerStore(const std::filesystem::path& path);
  ~TriggerStore();
  TriggerStore(const TriggerStore&) = delete;
  TriggerStore& operator=(const TriggerStore&) = delete;

  // One transaction: inserts the triggers whose id is new (in order), records the exceptions,
  // and, when `cursor` is set, stores it as `source`'s cursor.
  BatchCommit commit_batch(std::string_view source, const std::optional<std::string>& cursor,
                           const std::vector<NewTrigger>& triggers,
                           const std::vector<TriggerExceptionRecord>& exceptions);
  std::optional<std::string> cursor(std::string_view source) const;

  // Events with seq > after, in seq order, at most `limit`.
  std::vector<LoggedEvent> read_after(int64_t after, size_t limit) const;
  std::optional<LoggedEvent> read_one(int64_t seq) const;
  int64_t last_seq() const;
  // seq of each event id (nullopt for an unknown id), in the order given.
  std::vector<std::optional<int64_t>> seqs_of(const std::vector<std::string>& ids) const;

  // Consumer groups: everything <= floor is acknowledged, plus `acked` above it.
  struct GroupState {
    int64_t floor = 0;
    std::vector<int64_t> acked;
  };
  GroupState load_group(std::string_view group) const;
  // Records acknowledgements and the new floor (acks at or below it are dropped) in one commit.
  void save_group(std::string_view group, int64_t floor, const std::vector<int64_t>& new_acks);

  // Webhook subscriptions: every event <= offset was delivered or dead-lettered.
  int64_t subscription_offset(std::string_view subscription) const;
  void save_subscription_offset(std::string_view subscription, int64_t offset);
  int64_t add_dead_letter(std::string_view subscription, int64_t seq, int64_t attempts,
                          std::string_view last_error);
  std::vector<DeadLetter> dead_letters(std::string_view subscription, int64_t after_id,
                                       size_t limit) const;
  std::optional<DeadLetter> dead_letter(int64_t id) const;
  void mark_replayed(int64_t id);

  std::vector<TriggerExceptionRow> exceptions(int64_t after_id, size_t limit) const;

  // "" when the last write succeeded, else its error (for /readyz).
  std::string health() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::triggers
