#include "gateway/engine/oldest_tracker.h"

#include <gtest/gtest.h>

namespace coregate::engine {
namespace {

TEST(OldestTracker, OldestIsTheEarliestUnfinishedArrival) {
  OldestTracker t;
  EXPECT_FALSE(t.oldest_ms());
  const auto a = t.arrive(100);
  const auto b = t.arrive(200);
  const auto c = t.arrive(300);
  EXPECT_EQ(t.oldest_ms(), 100);
  t.finish(b);  // out of order: a is still the oldest
  EXPECT_EQ(t.oldest_ms(), 100);
  EXPECT_EQ(t.size(), 2u);
  t.finish(a);  // a and the already-finished b leave together
  EXPECT_EQ(t.oldest_ms(), 300);
  t.finish(c);
  EXPECT_FALSE(t.oldest_ms());
  EXPECT_EQ(t.size(), 0u);
}

}  // namespace
}  // namespace coregate::engine
