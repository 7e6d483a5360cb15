#include "gateway/intake/outcome_id.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace coregate::intake {
namespace {

TEST(OutcomeId, IsAUuidV7ThatIncreases) {
  const std::regex uuid7("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 20000; ++i) {  // thousands per millisecond: the counter keeps them ordered
    std::string id = new_outcome_id();
    ASSERT_TRUE(std::regex_match(id, uuid7)) << id;
    ASSERT_GT(id, previous);
    previous = id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 20000u);
}

}  // namespace
}  // namespace coregate::intake
