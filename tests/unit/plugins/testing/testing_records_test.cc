// The testing adapter as a system of record, through the real ABI and the real .so: keys are
// applied once, repeats answer ALREADY_APPLIED with the original reference, probe tells the
// truth, and concurrent writers never double a key.
#include <atomic>
#include <set>
#include <thread>

#include "tests/unit/plugins/testing/plugin_fixture.h"

namespace coregate::testing {
namespace {

TEST_F(TestingPlugin, DescriptorDeclaresNameCapabilitiesAndAStrictSchema) {
  const cg_type_plugin_descriptor* d = descriptor();
  EXPECT_STREQ(d->name, "testing");
  EXPECT_EQ(d->abi_major, static_cast<uint32_t>(COREGATE_ABI_MAJOR));
  EXPECT_EQ(d->capabilities, CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_INBOUND | CG_CAP_HEALTH);
  EXPECT_EQ(d->hooks->cg_on_poll, nullptr);
  boost::json::value schema = boost::json::parse(d->config_schema_json);
  EXPECT_EQ(schema.at("$schema").as_string(), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_FALSE(schema.at("additionalProperties").as_bool());
  for (const auto& property : schema.at("properties").as_object()) {
    const auto& p = property.value().as_object();
    EXPECT_TRUE(p.contains("description")) << property.key() << " has no description";
  }
}

TEST_F(TestingPlugin, AppliesOnceThenAnswersAlreadyAppliedWithTheOriginalReference) {
  AdapterHandle& a = create("{}", "core");
  WriteOutcome first = a.write("k1");
  EXPECT_EQ(first.status, CG_STATUS_OK);
  EXPECT_EQ(first.write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(first.reference, "core-1");
  WriteOutcome second = a.write("k2");
  EXPECT_EQ(second.reference, "core-2");
  WriteCall repeat;
  repeat.key = "k1";
  repeat.attempt = 2;
  WriteOutcome again = a.write(repeat);
  EXPECT_EQ(again.status, CG_STATUS_OK);
  EXPECT_EQ(again.write_class, CG_WRITE_ALREADY_APPLIED);
  EXPECT_EQ(again.reference, "core-1");
  EXPECT_NE(again.diagnostic.find("applied before"), std::string::npos) << again.diagnostic;
}

TEST_F(TestingPlugin, ProbeAnswersAppliedWithReferenceOrNotFound) {
  AdapterHandle& a = create(R"({"reference_prefix": "ROW"})");
  ASSERT_EQ(a.write("k1").reference, "ROW1");
  ProbeOutcome applied = a.probe("k1");
  EXPECT_EQ(applied.status, CG_STATUS_OK);
  EXPECT_EQ(applied.state, CG_PROBE_APPLIED);
  EXPECT_EQ(applied.reference, "ROW1");
  ProbeOutcome missing = a.probe("never-written");
  EXPECT_EQ(missing.status, CG_STATUS_OK);
  EXPECT_EQ(missing.state, CG_PROBE_NOT_FOUND);
}

TEST_F(TestingPlugin, InstancesHaveSeparateStores) {
  AdapterHandle& a = create("{}", "a");
  AdapterHandle& b = create("{}", "b");
  EXPECT_EQ(a.write("k").write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(b.write("k").write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(b.probe("only-a").state, CG_PROBE_NOT_FOUND);
}

TEST_F(TestingPlugin, ConcurrentWritersApplyEachKeyExactlyOnce) {
  AdapterHandle& a = create("{}");
  constexpr int kThreads = 8, kKeys = 400;
  std::atomic<int> applied{0}, already{0}, other{0};
  std::vector<std::set<std::string>> references(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeys; ++i) {
        // Every thread writes every key: 8 racing writers per key.
        WriteOutcome o = a.write("key-" + std::to_string((i + t * 37) % kKeys));
        if (o.write_class == CG_WRITE_APPLIED) {
          ++applied;
          references[t].insert(o.reference);
        } else if (o.write_class == CG_WRITE_ALREADY_APPLIED) {
          ++already;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(applied.load(), kKeys);
  EXPECT_EQ(already.load(), kKeys * (kThreads - 1));
  EXPECT_EQ(other.load(), 0);
  std::set<std::string> all;
  for (const auto& r : references) all.insert(r.begin(), r.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kKeys)) << "every applied write got its own reference";
}

TEST_F(TestingPlugin, BadConfigsAreRefusedNamingTheKey) {
  struct Case {
    std::string config, expected;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"latency": 5})", "unknown config key 'latency' (did you mean 'latency_ms'?)"},
           {R"({"latency_ms": -1})", "config key 'latency_ms' must be an integer from 0 to 600000"},
           {R"({"latency_ms": "5"})", "config key 'latency_ms' must be an integer"},
           {R"({"health": "sick"})", "config key 'health' must be \"healthy\", \"degraded\""},
           {R"({"faults": {"write": {"retryable": 1.5}}})",
            "config key 'faults.write.retryable' must be a probability from 0 to 1"},
           {R"({"faults": {"write": {"retryable": 0.6, "rejected": 0.6}}})",
            "config key 'faults.write' must be rates that add up to at most 1"},
           {R"({"faults": {"write": {"unknown": 0.1}}})",
            "config key 'faults.write.unknown' must be one of the write faults"},
           {R"({"faults": {"probe": {"retryable": 0.1}}})",
            "config key 'faults.probe.retryable' must be one of the probe faults"},
           {R"({"faults": {"rules": [{"fault": "explode"}]}})",
            "config key 'faults.rules[0].fault' must be one of the write faults"},
           {R"({"faults": {"rules": [{"hook": "probe", "subject": "s", "fault": "unknown"}]}})",
            "config key 'faults.rules[0].subject' must be absent: only write requests carry it"},
           {R"({"faults": {"rules": [{"fault": "rejected", "tims": 2}]}})",
            "unknown config key 'faults.rules[0].tims' (did you mean 'times'?)"},
           {R"({"faults": {"rules": [{"fault": "rejected", "times": 0}]}})",
            "config key 'faults.rules[0].times' must be an integer from 1"},
           {R"({"faults": {"wrte": {}}})",
            "unknown config key 'faults.wrte' (did you mean 'write'?)"},
           {R"({"seed": -4})", "config key 'seed' must be an integer from 0"},
       }) {
    std::string error = refusal(c.config);
    EXPECT_EQ(error.rfind("create: adapter 't': ", 0), 0u) << error;
    EXPECT_NE(error.find(c.expected), std::string::npos) << c.config << "\n -> " << error;
  }
}

TEST_F(TestingPlugin, ARecordThatIsNotJsonIsAnErrorNotACrash) {
  AdapterHandle& a = create("{}");
  WriteCall call;
  call.record_json = "{nope";
  WriteOutcome o = a.write(call);
  EXPECT_EQ(o.status, CG_STATUS_ERROR);
  EXPECT_EQ(o.diagnostic.rfind("write: ", 0), 0u);
  EXPECT_EQ(a.probe("key-1").state, CG_PROBE_NOT_FOUND) << "nothing was applied";
}

TEST_F(TestingPlugin, HealthReportsTheConfiguredStateAndTheStore) {
  AdapterHandle& healthy = create("{}");
  ASSERT_EQ(healthy.write("k").write_class, CG_WRITE_APPLIED);
  HealthOutcome h = healthy.health();
  EXPECT_EQ(h.status, CG_STATUS_OK);
  EXPECT_EQ(h.state, CG_HEALTH_HEALTHY);
  EXPECT_EQ(h.detail, "testing adapter: 1 applied writes");
  AdapterHandle& degraded = create(R"({"health": "degraded", "health_detail": "half down"})");
  EXPECT_EQ(degraded.health().state, CG_HEALTH_DEGRADED);
  EXPECT_EQ(degraded.health().detail, "half down");
  EXPECT_EQ(create(R"({"health": "unhealthy"})").health().state, CG_HEALTH_UNHEALTHY);
}

}  // namespace
}  // namespace coregate::testing
