// sdk::Host, the adapter's view of the host callbacks: each call reaches the host's table with
// the right context, and a missing callback degrades instead of crashing.
#include <gtest/gtest.h>

#include <chrono>

#include <coregate/sdk/host.h>

#include "tests/unit/sdk/abi_test_host.h"

namespace coregate::testing {
namespace {

TEST(SdkHost, CallsReachTheHostTable) {
  TestHost host;
  sdk::Host view(host.table());
  view.warn("careful");
  view.log(sdk::LogLevel::kTrace, "fine detail");
  view.gauge("queue_depth", 4, {{"queue", "main"}});
  view.observe("latency_seconds", 0.25);
  auto logs = host.logs();
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].level, CG_LOG_WARN);
  EXPECT_EQ(logs[0].message, "careful");
  EXPECT_EQ(logs[1].level, CG_LOG_TRACE);
  auto metrics = host.metrics();
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].kind, CG_METRIC_GAUGE);
  EXPECT_EQ(metrics[0].labels_json, R"({"queue":"main"})");
  EXPECT_EQ(metrics[1].kind, CG_METRIC_HISTOGRAM);
  EXPECT_EQ(metrics[1].labels_json, "") << "no labels: empty, not {}";
  sdk::Fetched token = view.credentials("crm", true);
  EXPECT_TRUE(token.ok);
  EXPECT_EQ(token.value, "Bearer token-for-crm");
  sdk::Fetched missing = view.secret("${env:NONE}");
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.error, "no such secret");
}

TEST(SdkHost, ClockIsTheHosts) {
  TestHost host;
  host.set_clock_unix_ms(1'600'000'000'000);
  sdk::Host view(host.table());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(view.now().time_since_epoch()).count(),
      1'600'000'000'000);
  EXPECT_GT(view.monotonic().count(), 0);
}

TEST(SdkHost, MissingCallbacksDegrade) {
  TestHost host;
  cg_type_host* table = host.mutable_table();
  table->cg_cb_log = nullptr;
  table->cg_cb_metric = nullptr;
  table->cg_cb_secret = nullptr;
  table->cg_cb_credentials = nullptr;
  table->cg_cb_clock_unix_ms = nullptr;
  table->cg_cb_clock_monotonic_ns = nullptr;
  for (const cg_type_host* t :
       {static_cast<const cg_type_host*>(table), static_cast<const cg_type_host*>(nullptr)}) {
    sdk::Host view(t);
    view.info("dropped");
    view.count("dropped_total");
    EXPECT_FALSE(view.secret("${env:X}").ok);
    EXPECT_FALSE(view.credentials("crm").ok);
    auto skew = std::chrono::system_clock::now() - view.now();
    EXPECT_LT(std::chrono::abs(skew), std::chrono::seconds(5));
    EXPECT_GT(view.monotonic().count(), 0);
  }
  EXPECT_TRUE(host.logs().empty());
}

}  // namespace
}  // namespace coregate::testing
