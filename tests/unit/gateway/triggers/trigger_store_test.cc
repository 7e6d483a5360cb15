#include "gateway/triggers/trigger_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace coregate::triggers {
namespace {

class TriggerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("triggers-store-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path path() const { return dir_ / "sub" / "triggers.db"; }

  static NewTrigger trigger(const std::string& id, const std::string& subject = "s") {
    return NewTrigger{id, "coregate.trigger.t", subject, "{\"id\":\"" + id + "\"}"};
  }
  std::filesystem::path dir_;
};

TEST_F(TriggerStoreTest, DeduplicatesByIdAndStoresTheCursorInTheSameCommit) {
  TriggerStore store(path());
  auto first = store.commit_batch("src", std::string("c1"), {trigger("a"), trigger("b")}, {});
  EXPECT_EQ(first.inserted, 2u);
  EXPECT_EQ(first.last_seq, 2);
  auto again = store.commit_batch("src", std::string("c2"), {trigger("b"), trigger("c")}, {});
  EXPECT_EQ(again.inserted, 1u);
  EXPECT_EQ(again.duplicates, 1u);
  EXPECT_EQ(store.cursor("src").value_or(""), "c2");
  EXPECT_FALSE(store.cursor("other").has_value());
  auto events = store.read_after(0, 10);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].id, "a");
  EXPECT_EQ(events[2].id, "c");
  EXPECT_EQ(events[2].seq, 3);
  EXPECT_EQ(store.read_after(1, 1).front().id, "b");
}

TEST_F(TriggerStoreTest, SurvivesReopenAndKeepsExceptions) {
  {
    TriggerStore store(path());
    auto result = store.commit_batch("src", std::string("7"), {trigger("a")},
                                     {{"src", "mapping failed", "{\"x\":1}", ""}});
    ASSERT_EQ(result.exception_ids.size(), 1u);
  }
  TriggerStore store(path());
  EXPECT_EQ(store.cursor("src").value_or(""), "7");
  EXPECT_EQ(store.last_seq(), 1);
  auto exceptions = store.exceptions(0, 10);
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_EQ(exceptions[0].reason, "mapping failed");
  EXPECT_EQ(exceptions[0].record_json, "{\"x\":1}");
}

TEST_F(TriggerStoreTest, GroupsKeepFloorAndAcksAbove) {
  TriggerStore store(path());
  store.save_group("g", 3, {5, 7, 2});
  auto state = store.load_group("g");
  EXPECT_EQ(state.floor, 3);
  EXPECT_EQ(state.acked, (std::vector<int64_t>{5, 7}));
  store.save_group("g", 6, {});
  state = store.load_group("g");
  EXPECT_EQ(state.floor, 6);
  EXPECT_EQ(state.acked, (std::vector<int64_t>{7}));
  EXPECT_EQ(store.load_group("other").floor, 0);
}

TEST_F(TriggerStoreTest, DeadLettersAreListedWithTheirEvent) {
  TriggerStore store(path());
  (void)store.commit_batch("src", std::nullopt, {trigger("a"), trigger("b")}, {});
  const int64_t id = store.add_dead_letter("hook", 2, 5, "HTTP 500");
  auto letter = store.dead_letter(id);
  ASSERT_TRUE(letter.has_value());
  EXPECT_EQ(letter->event_id, "b");
  EXPECT_EQ(letter->attempts, 5);
  EXPECT_FALSE(letter->replayed_ms.has_value());
  store.mark_replayed(id);
  EXPECT_TRUE(store.dead_letter(id)->replayed_ms.has_value());
  EXPECT_EQ(store.dead_letters("hook", 0, 10).size(), 1u);
  EXPECT_EQ(store.dead_letters("other", 0, 10).size(), 0u);
  EXPECT_EQ(store.dead_letters("", 0, 10).size(), 1u);
  store.save_subscription_offset("hook", 2);
  EXPECT_EQ(store.subscription_offset("hook"), 2);
}

}  // namespace
}  // namespace coregate::triggers
