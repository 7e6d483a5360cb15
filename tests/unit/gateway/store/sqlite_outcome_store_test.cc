// The SQLite store on real files: group commit, the ledger's replay/conflict decisions, backlog
// bound, durability across reopen, purge, migrations and the audit hash chain.
#include "gateway/store/sqlite_outcome_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "gateway/store/audit_chain.h"
#include "gateway/store/sqlite_handle.h"
#include "gateway/store/sqlite_schema.h"

namespace coregate::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coregate-store-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    options_.path = dir_ / "sub" / "store.db";  // the folder is created
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static NewOutcome outcome(const std::string& key, const std::string& subject = "acct-1",
                            unsigned char fingerprint = 1,
                            const std::string& principal = "workflow") {
    NewOutcome o;
    o.id = "id-" + principal + "-" + key;
    o.principal = principal;
    o.idempotency_key = key;
    o.fingerprint.fill(fingerprint);
    o.type = "arrangement.promise_to_pay";
    o.subject = subject;
    o.body_json = R"({"type":"arrangement.promise_to_pay","subject":")" + subject + R"("})";
    o.response_body = R"({"id":")" + o.id + R"("})";
    return o;
  }

  static AcceptResult submit_and_wait(OutcomeStore& store, NewOutcome o) {
    std::promise<AcceptResult> done;
    auto future = done.get_future();
    EXPECT_TRUE(
        store.submit(std::move(o), [&](AcceptResult&& r) { done.set_value(std::move(r)); }));
    return future.get();
  }

  std::filesystem::path dir_;
  SqliteStoreOptions options_;
};

TEST_F(StoreTest, AcceptReplayAndConflictFollowTheLedger) {
  SqliteOutcomeStore store(options_);
  auto first = submit_and_wait(store, outcome("k1"));
  EXPECT_EQ(first.status, AcceptStatus::kAccepted);
  EXPECT_EQ(first.response_status, 202);
  auto replay = submit_and_wait(store, outcome("k1"));
  EXPECT_EQ(replay.status, AcceptStatus::kReplay);
  EXPECT_EQ(replay.response_body, first.response_body);
  EXPECT_EQ(replay.outcome_id, first.outcome_id);
  auto conflict = submit_and_wait(store, outcome("k1", "acct-1", 2));
  EXPECT_EQ(conflict.status, AcceptStatus::kKeyConflict);
  // Another principal's identical key is a different key.
  EXPECT_EQ(submit_and_wait(store, outcome("k1", "acct-1", 1, "other")).status,
            AcceptStatus::kAccepted);
  auto found = store.find(first.outcome_id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, "accepted");
  EXPECT_EQ(found->subject, "acct-1");
  EXPECT_FALSE(store.find("nope"));
}

TEST_F(StoreTest, ConcurrentSubmissionsShareTransactions) {
  SqliteOutcomeStore store(options_);
  constexpr int kThreads = 8, kPerThread = 200;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::future<void>> waits;
      for (int i = 0; i < kPerThread; ++i) {
        auto done = std::make_shared<std::promise<void>>();
        waits.push_back(done->get_future());
        ASSERT_TRUE(store.submit(outcome("t" + std::to_string(t) + "-" + std::to_string(i)),
                                 [&, done](AcceptResult&& r) {
                                   if (r.status == AcceptStatus::kAccepted) ++accepted;
                                   done->set_value();
                                 }));
      }
      for (auto& w : waits) w.wait();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted, kThreads * kPerThread);
  const auto counters = store.counters();
  EXPECT_EQ(counters.outcomes, static_cast<uint64_t>(kThreads * kPerThread));
  // Group commit: far fewer transactions (fsyncs) than outcomes.
  EXPECT_LT(counters.batches * 4, counters.outcomes) << counters.batches << " batches";
}

TEST_F(StoreTest, BacklogBoundRefusesInsteadOfBuffering) {
  options_.max_pending = 4;
  SqliteOutcomeStore store(options_);
  int refused = 0;
  std::atomic<int> answered{0};
  for (int i = 0; i < 200; ++i) {
    if (!store.submit(outcome("b" + std::to_string(i)), [&](AcceptResult&&) { ++answered; }))
      ++refused;
  }
  EXPECT_GT(refused, 0);
  store.stop();  // commits what was queued
  EXPECT_EQ(answered + refused, 200);
  EXPECT_FALSE(store.submit(outcome("late"), [](AcceptResult&&) {}));
}

TEST_F(StoreTest, CommittedOutcomesSurviveReopenAndTheLedgerStillReplays) {
  std::string id;
  {
    SqliteOutcomeStore store(options_);
    id = submit_and_wait(store, outcome("durable")).outcome_id;
  }
  SqliteOutcomeStore reopened(options_);
  EXPECT_TRUE(reopened.find(id));
  EXPECT_EQ(submit_and_wait(reopened, outcome("durable")).status, AcceptStatus::kReplay);
}

TEST_F(StoreTest, ListPagesByCommitOrderWithFilters) {
  SqliteOutcomeStore store(options_);
  for (int i = 0; i < 5; ++i)
    submit_and_wait(store, outcome("l" + std::to_string(i), i < 3 ? "a" : "b"));
  OutcomeFilter filter;
  filter.limit = 2;
  std::vector<std::string> ids;
  for (;;) {
    auto page = store.list(filter);
    for (auto& item : page.items) ids.push_back(item.id);
    if (!page.next_after_seq) break;
    filter.after_seq = *page.next_after_seq;
  }
  EXPECT_EQ(ids.size(), 5u);
  OutcomeFilter by_subject;
  by_subject.subject = "b";
  EXPECT_EQ(store.list(by_subject).items.size(), 2u);
  by_subject.status = "applied";
  EXPECT_EQ(store.list(by_subject).items.size(), 0u);
}

TEST_F(StoreTest, PurgeRemovesOnlyExpiredKeys) {
  SqliteOutcomeStore store(options_);
  submit_and_wait(store, outcome("old"));
  EXPECT_EQ(store.purge_idempotency_keys(std::chrono::system_clock::now() - std::chrono::hours(1)),
            0);
  EXPECT_EQ(
      store.purge_idempotency_keys(std::chrono::system_clock::now() + std::chrono::seconds(1)), 1);
  // The key is free again (its retention is over): a new request under it is a new outcome.
  EXPECT_TRUE(store.find("id-workflow-old"));
  auto fresh = outcome("old");
  fresh.id = "id-new";
  EXPECT_EQ(submit_and_wait(store, fresh).status, AcceptStatus::kAccepted);
}

TEST_F(StoreTest, AFailedBatchStoresNothingAndTheStoreRecovers) {
  SqliteOutcomeStore store(options_);
  submit_and_wait(store, outcome("x"));
  auto duplicate_id = outcome("y");
  duplicate_id.id = "id-workflow-x";  // violates outcomes.id UNIQUE
  EXPECT_EQ(submit_and_wait(store, duplicate_id).status, AcceptStatus::kStoreFailed);
  EXPECT_NE(store.health(), "");
  // Nothing of the failed batch was kept: key "y" is still unused.
  EXPECT_EQ(submit_and_wait(store, outcome("y")).status, AcceptStatus::kAccepted);
  EXPECT_EQ(store.health(), "");
}

TEST_F(StoreTest, SchemaIsVersionedAndAuditRecordsFormAHashChain) {
  {
    SqliteOutcomeStore store(options_);
    for (int i = 0; i < 3; ++i) submit_and_wait(store, outcome("a" + std::to_string(i)));
  }
  {
    SqliteOutcomeStore again(options_);  // reopening does not re-run migrations
    submit_and_wait(again, outcome("a3"));
  }
  Database db(options_.path.string(), false);
  Statement version(db, "PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.column_int(0), sqlite_schema_version());
  version.reset();
  Statement mode(db, "PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.column_text(0), "wal");
  mode.reset();
  Statement rows(db,
                 "SELECT seq, at_ms, principal, action, object_id, detail, prev_hash, hash FROM "
                 "audit_log ORDER BY seq");
  std::string previous = audit_genesis_hash();
  int count = 0;
  while (rows.step()) {
    EXPECT_EQ(rows.column_text(6), previous);
    const std::string expected =
        audit_record_hash(previous, rows.column_int(0), rows.column_int(1), rows.column_text(2),
                          rows.column_text(3), rows.column_text(4), rows.column_text(5));
    EXPECT_EQ(rows.column_text(7), expected);
    previous = expected;
    ++count;
  }
  EXPECT_EQ(count, 4);
  // Tampering with a detail breaks the chain.
  EXPECT_NE(audit_record_hash(audit_genesis_hash(), 1, 0, "p", "outcome.accepted", "id", "{}"),
            audit_record_hash(audit_genesis_hash(), 1, 0, "p", "outcome.accepted", "id", "{ }"));
}

TEST_F(StoreTest, RefusesAStoreFromANewerBuild) {
  { SqliteOutcomeStore store(options_); }
  {
    Database db(options_.path.string(), false);
    db.exec("PRAGMA user_version = 999");
  }
  EXPECT_THROW(SqliteOutcomeStore{options_}, StoreError);
}

}  // namespace
}  // namespace coregate::store
