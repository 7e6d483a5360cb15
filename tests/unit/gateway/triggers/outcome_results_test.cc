#include "gateway/triggers/outcome_results.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "gateway/triggers/cloud_event.h"

namespace coregate::triggers {
namespace {

engine::OutcomeResultEvent applied(const std::string& id) {
  engine::OutcomeResultEvent event;
  event.outcome_id = id;
  event.type = "arrangement.promise_to_pay";
  event.subject = "4000123456";
  event.status = "applied";
  event.trigger_id = "t-1";
  event.at_ms = 1772409451000;
  event.steps.push_back({0, "core", "applied", std::string("ARR-1"), std::nullopt});
  return event;
}

TEST(OutcomeResults, BecomeCloudEventsWithAStableId) {
  const auto trigger = outcome_result_trigger(applied("o-1"));
  EXPECT_EQ(trigger.id, "o-1.applied");
  EXPECT_EQ(trigger.type, "coregate.outcome.applied");
  auto parsed = parse_structured_cloudevent(trigger.event_json);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.event.source, kOutcomeEventSource);
  EXPECT_EQ(parsed.event.subject.value_or(""), "4000123456");
  EXPECT_EQ(parsed.event.data->at("steps").at(0).at("system_reference"), "ARR-1");
  EXPECT_EQ(parsed.event.data->at("trigger_id"), "t-1");
  auto failed = applied("o-1");
  failed.status = "failed";
  failed.exception_id = "x-9";
  EXPECT_EQ(outcome_result_trigger(failed).type, "coregate.outcome.failed");
  EXPECT_NE(outcome_result_trigger(failed).id, trigger.id);
}

TEST(OutcomeResults, ThePublisherAppendsToTheLogOnceEach) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("triggers-outcomes-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  {
    TriggerStore store(dir / "triggers.db");
    LogSignal signal;
    OutcomeResultPublisher publisher(store, signal);
    publisher.start();
    publisher.publish(applied("o-1"));
    publisher.publish(applied("o-2"));
    publisher.publish(applied("o-1"));  // published again (an engine retry): deduplicated
    publisher.stop();                   // commits what is queued
    auto events = store.read_after(0, 10);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].id, "o-1.applied");
    EXPECT_EQ(events[1].id, "o-2.applied");
    EXPECT_EQ(signal.last(), 2);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coregate::triggers
