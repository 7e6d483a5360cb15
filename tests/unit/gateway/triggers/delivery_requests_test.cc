#include "gateway/triggers/delivery_requests.h"

#include <gtest/gtest.h>

namespace coregate::triggers {
namespace {

TEST(PullLimit, DefaultsAndBounds) {
  EXPECT_EQ(parse_pull_limit(std::nullopt).limit, kDefaultPullLimit);
  auto ok = parse_pull_limit(std::string("250"));
  EXPECT_TRUE(ok.error.empty());
  EXPECT_EQ(ok.limit, 250u);
  for (const char* bad : {"0", "-1", "5001", "ten", "", "1e3", "99999999999999999999"}) {
    EXPECT_FALSE(parse_pull_limit(std::string(bad)).error.empty()) << bad;
  }
}

TEST(AckBody, TakesIdsOnly) {
  auto ok = parse_ack_body(R"({"ids":["a","b"]})");
  ASSERT_TRUE(ok.error.empty()) << ok.error;
  EXPECT_EQ(ok.ids, (std::vector<std::string>{"a", "b"}));
  for (const char* bad :
       {R"({"ids":[]})", R"({"ids":"a"})", R"({"ids":[1]})", R"({"ids":[""]})",
        R"({"ids":["a"],"x":1})", R"({"ids":["a"],"ids":["b"]})", "[]", "", "{"}) {
    EXPECT_FALSE(parse_ack_body(bad).error.empty()) << bad;
  }
}

TEST(Resume, LastEventIdWinsOverAfter) {
  auto both = parse_resume(std::string("42"), std::string("7"));
  EXPECT_EQ(both.after.value_or(-1), 42);
  EXPECT_EQ(parse_resume(std::nullopt, std::string("7")).after.value_or(-1), 7);
  EXPECT_FALSE(parse_resume(std::nullopt, std::nullopt).after.has_value());
  EXPECT_FALSE(parse_resume(std::string("abc"), std::nullopt).error.empty());
  EXPECT_FALSE(parse_resume(std::string("-3"), std::nullopt).error.empty());
}

TEST(TypeFilter, SplitsOnCommas) {
  EXPECT_EQ(parse_type_filter(std::string("a,,b,")), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(parse_type_filter(std::nullopt).empty());
}

}  // namespace
}  // namespace coregate::triggers
