#include "gateway/engine/plan_table.h"

#include <gtest/gtest.h>

#include "gateway/config/config_error.h"
#include "gateway/config/config_loader.h"
#include "gateway/engine/adapter_policy.h"

namespace coregate::engine {
namespace {

PlanTable plans(std::string_view json) {
  static const mapping::MappingRegistry no_mappings;
  return PlanTable::from_config(config::config_from_json_text(json, "gw.json"), no_mappings);
}

std::string error_of(std::string_view json) {
  try {
    (void)plans(json);
  } catch (const config::ConfigError& e) {
    return std::string(e.key_path()) + ": " + e.what();
  }
  return "";
}

constexpr const char* kAdapters = R"("adapters": {"core": {}, "crm": {}, "archive": {}})";

TEST(PlanTable, ExactBeatsPrefixBeatsCatchAll) {
  const PlanTable t = plans(std::string("{") + kAdapters + R"(, "plans": {
      "*": [{"adapter": "archive"}],
      "arrangement.*": [{"adapter": "crm"}],
      "arrangement.promise_to_pay": [{"adapter": "core"}, {"adapter": "crm"}]}})");
  ASSERT_TRUE(t.configured());
  const Plan* exact = t.resolve("arrangement.promise_to_pay");
  ASSERT_NE(exact, nullptr);
  ASSERT_EQ(exact->steps.size(), 2u);
  EXPECT_EQ(exact->steps[0].adapter, "core");
  EXPECT_EQ(exact->steps[1].adapter, "crm");
  EXPECT_EQ(t.resolve("arrangement.payment_plan")->steps[0].adapter, "crm");
  EXPECT_EQ(t.resolve("account.note_added")->steps[0].adapter, "archive");
}

TEST(PlanTable, LongestPrefixWins) {
  const PlanTable t = plans(std::string("{") + kAdapters + R"(, "plans": {
      "account.*": [{"adapter": "crm"}], "account.flag.*": [{"adapter": "core"}]}})");
  EXPECT_EQ(t.resolve("account.flag.cleared")->steps[0].adapter, "core");
  EXPECT_EQ(t.resolve("account.note_added")->steps[0].adapter, "crm");
  EXPECT_EQ(t.resolve("payment.authorised"), nullptr);
  EXPECT_EQ(t.resolve("account"), nullptr);  // "account.*" needs the dot
}

TEST(PlanTable, AbsentSectionIsNotConfigured) {
  const PlanTable t = plans(std::string("{") + kAdapters + "}");
  EXPECT_FALSE(t.configured());
  EXPECT_EQ(t.resolve("anything"), nullptr);
}

TEST(PlanTable, StepPolicyNarrowsTheBudget) {
  const PlanTable t = plans(std::string("{") + kAdapters +
                            R"(, "plans": {"*": [{"adapter": "core", "policy": {"max_attempts": 3,
                               "max_age": "10m"}}]}})");
  const auto& step = t.resolve("x")->steps[0];
  EXPECT_EQ(step.max_attempts, 3u);
  EXPECT_EQ(step.max_age, std::chrono::minutes(10));
}

TEST(PlanTable, ErrorsNameTheKey) {
  const std::string base = std::string("{") + kAdapters + R"(, "plans": )";

  EXPECT_NE(error_of(base + R"({"*": [{"adapter": "cor"}]}})").find("no adapter named 'cor'"),
            std::string::npos);
  EXPECT_NE(error_of(base + R"({"*": [{"adapter": "core", "mapping": "nope"}]}})")
                .find("no mapping named 'nope'"),
            std::string::npos);
  EXPECT_NE(error_of(base + R"({"*": [{"adapter": "core", "mapinng": "x"}]}})")
                .find("did you mean 'mapping'"),
            std::string::npos);
  EXPECT_NE(error_of(base + R"({"a*b": [{"adapter": "core"}]}})").find("prefix.*"),
            std::string::npos);
  EXPECT_NE(error_of(base + R"({"x": []}})").find("at least one step"), std::string::npos);
  EXPECT_NE(error_of(base + R"({"*": [{"adapter": "core", "policy": {"max_attempts": 0}}]}})"), "");
}

AdapterPolicy policy(std::string_view block) {
  return AdapterPolicy::from_config(
      config::config_from_json_text(std::string("{\"a\": ") + std::string(block) + "}", "gw.json")
          .child("a"));
}

TEST(AdapterPolicy, DefaultsAreSafe) {
  const AdapterPolicy p = policy("{}");
  EXPECT_EQ(p.concurrency, 8u);
  EXPECT_FALSE(p.dedups_by_key);
  EXPECT_EQ(p.on_ambiguous, OnAmbiguous::kException);
}

TEST(AdapterPolicy, DedupingTargetsRetryAmbiguityByDefault) {
  EXPECT_EQ(policy(R"({"dedups_by_key": true})").on_ambiguous, OnAmbiguous::kRetry);
  EXPECT_EQ(policy(R"({"dedups_by_key": true, "on_ambiguous": "exception"})").on_ambiguous,
            OnAmbiguous::kException);
}

TEST(AdapterPolicy, RetryingAmbiguityWithoutDedupIsRefused) {
  try {
    (void)policy(R"({"on_ambiguous": "retry"})");
    FAIL() << "accepted on_ambiguous retry without dedups_by_key";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.key_path(), "a.on_ambiguous");
    EXPECT_NE(std::string(e.what()).find("dedups_by_key"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)policy(R"({"on_ambiguous": "maybe"})"), config::ConfigError);
  EXPECT_THROW((void)policy(R"({"concurrency": 0})"), config::ConfigError);
  EXPECT_THROW((void)policy(R"({"timeout": "0s"})"), config::ConfigError);
}

}  // namespace
}  // namespace coregate::engine
