#include "gateway/config/did_you_mean.h"

#include <gtest/gtest.h>

namespace coregate::config {
namespace {

TEST(DidYouMean, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("concurency", "concurrency"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, SuggestsOnlyPlausibleTypos) {
  std::vector<std::string_view> keys = {"concurrency", "timeout", "plugin"};
  EXPECT_EQ(closest_match("concurency", keys), "concurrency");
  EXPECT_EQ(closest_match("plugn", keys), "plugin");
  EXPECT_FALSE(closest_match("database", keys));
  EXPECT_FALSE(closest_match("x", keys));
}

}  // namespace
}  // namespace coregate::config
