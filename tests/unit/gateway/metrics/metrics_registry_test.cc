#include "gateway/metrics/metrics_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "gateway/metrics/prometheus_text.h"
#include "tests/support/child_process.h"

namespace coregate::metrics {
namespace {

TEST(Metrics, CountersGaugesAndHistogramsRender) {
  MetricsRegistry r;
  auto& attempts = r.counter("coregate_writeback_attempts_total",
                             "Write attempts by adapter and class.", {"adapter", "class"});
  attempts.labels({"core", "applied"}).inc();
  attempts.labels({"core", "applied"}).inc(2);
  attempts.labels({"core", "retryable"}).inc();
  attempts.labels({"core", "retryable"}).inc(-5);  // ignored: counters only go up
  r.gauge("coregate_queue_depth", "Steps waiting.", {"adapter"}).labels({"core"}).set(7);
  auto& latency =
      r.histogram("coregate_writeback_seconds", "Write latency.", {"adapter"}, {0.01, 0.1, 1});
  latency.labels({"core"}).observe(0.005);
  latency.labels({"core"}).observe(0.05);
  latency.labels({"core"}).observe(5);
  std::string text = r.render();
  EXPECT_NE(text.find("# TYPE coregate_writeback_attempts_total counter"), std::string::npos)
      << text;
  EXPECT_NE(text.find("coregate_writeback_attempts_total{adapter=\"core\",class=\"applied\"} 3\n"),
            std::string::npos);
  EXPECT_NE(
      text.find("coregate_writeback_attempts_total{adapter=\"core\",class=\"retryable\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("coregate_queue_depth{adapter=\"core\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("coregate_writeback_seconds_bucket{adapter=\"core\",le=\"0.01\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("coregate_writeback_seconds_bucket{adapter=\"core\",le=\"0.1\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("coregate_writeback_seconds_bucket{adapter=\"core\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("coregate_writeback_seconds_count{adapter=\"core\"} 3\n"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(Metrics, MisuseIsRefused) {
  MetricsRegistry r;
  EXPECT_THROW(r.counter("bad name", "x"), std::logic_error);
  EXPECT_THROW(r.counter("ok_total", "x", {"__reserved"}), std::logic_error);
  auto& c = r.counter("c_total", "x", {"a"});
  EXPECT_THROW(r.gauge("c_total", "x", {"a"}), std::logic_error);
  EXPECT_THROW(r.counter("c_total", "x", {"b"}), std::logic_error);
  EXPECT_EQ(&r.counter("c_total", "x", {"a"}), &c);
  EXPECT_THROW(c.labels({"1", "2"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h_seconds", "x", {}, {1, 0.5}), std::logic_error);
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry r;
  auto& c = r.counter("n_total", "x", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.labels({"same"}).inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.labels({"same"}).value(), 40000);
}

TEST(Metrics, PromtoolAcceptsTheOutput) {
  if (access("/usr/bin/promtool", X_OK) != 0)
    GTEST_SKIP() << "promtool (Debian package prometheus) not installed";
  MetricsRegistry r;
  r.counter("coregate_outcomes_accepted_total", "Outcomes accepted, by type.", {"type"})
      .labels({"arrangement.promise_to_pay"})
      .inc();
  r.gauge("coregate_breaker_open", "1 while the adapter's breaker is open.", {"adapter"})
      .labels({"core"})
      .set(0);
  r.histogram("coregate_writeback_duration_seconds", "Write latency.", {"adapter"})
      .labels({"core"})
      .observe(0.2);
  std::string file = std::string(::testing::TempDir()) + "metrics.txt";
  std::ofstream(file) << r.render();
  auto result = coregate::testing::run_process(
      {"/bin/sh", "-c", "/usr/bin/promtool check metrics < " + file});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace coregate::metrics
