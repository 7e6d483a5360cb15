// The SDK's C hooks driven through the real ABI by a real host (abi_test_host.h): what an adapter
// returns must arrive intact in the host's buffers, what the host sends must reach the adapter,
// and undeclared capabilities must leave NULL hooks.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstring>
#include <string>

#include <coregate/sdk/plugin.h>

#include "tests/unit/sdk/abi_test_host.h"
#include "tests/unit/sdk/scripted_adapter.h"

extern "C" const cg_type_plugin_descriptor* coregate_plugin_init(void);

namespace coregate::testing {
namespace {

TEST(SdkDescriptor, MacroFillsEveryField) {
  const cg_type_plugin_descriptor* d = coregate_plugin_init();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d, coregate_plugin_init()) << "the descriptor is static";
  EXPECT_EQ(d->struct_size, sizeof(cg_type_plugin_descriptor));
  EXPECT_EQ(d->abi_major, static_cast<uint32_t>(COREGATE_ABI_MAJOR));
  EXPECT_EQ(d->abi_minor, static_cast<uint32_t>(COREGATE_ABI_MINOR));
  EXPECT_STREQ(d->name, "scripted");
  EXPECT_STREQ(d->version, "9.8.7");
  EXPECT_NE(std::strstr(d->build_signature, "sdk " COREGATE_SDK_VERSION), nullptr)
      << d->build_signature;
  EXPECT_EQ(d->capabilities,
            CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_POLL | CG_CAP_INBOUND | CG_CAP_HEALTH);
  EXPECT_STREQ(d->config_schema_json, R"({"type": "object"})");
  ASSERT_NE(d->hooks, nullptr);
  EXPECT_EQ(d->hooks->struct_size, sizeof(cg_type_hooks));
  EXPECT_NE(d->hooks->cg_on_create, nullptr);
  EXPECT_NE(d->hooks->cg_on_destroy, nullptr);
  EXPECT_NE(d->hooks->cg_on_write, nullptr);
  EXPECT_NE(d->hooks->cg_on_probe, nullptr);
  EXPECT_NE(d->hooks->cg_on_poll, nullptr);
  EXPECT_NE(d->hooks->cg_on_inbound, nullptr);
  EXPECT_NE(d->hooks->cg_on_health, nullptr);
}

// The shim's descriptor and hook table are statics per adapter class, so each capability set
// gets its own class.
template <int N>
struct NumberedBare : BareAdapter {
  using BareAdapter::BareAdapter;
};

template <int N>
void expect_hooks_match(uint64_t caps) {
  const cg_type_plugin_descriptor* d =
      sdk::detail::PluginShim<NumberedBare<N>>::descriptor("bare", "1", caps, "{}");
  const cg_type_hooks* h = d->hooks;
  EXPECT_EQ(d->capabilities, caps);
  EXPECT_NE(h->cg_on_create, nullptr);
  EXPECT_NE(h->cg_on_destroy, nullptr);
  EXPECT_EQ(h->cg_on_write != nullptr, (caps & CG_CAP_WRITE) != 0) << caps;
  EXPECT_EQ(h->cg_on_probe != nullptr, (caps & CG_CAP_PROBE) != 0) << caps;
  EXPECT_EQ(h->cg_on_poll != nullptr, (caps & CG_CAP_POLL) != 0) << caps;
  EXPECT_EQ(h->cg_on_inbound != nullptr, (caps & CG_CAP_INBOUND) != 0) << caps;
  EXPECT_EQ(h->cg_on_health != nullptr, (caps & CG_CAP_HEALTH) != 0) << caps;
}

TEST(SdkDescriptor, UndeclaredCapabilitiesLeaveNullHooks) {
  expect_hooks_match<0>(0);
  expect_hooks_match<1>(CG_CAP_WRITE);
  expect_hooks_match<2>(CG_CAP_PROBE);
  expect_hooks_match<3>(CG_CAP_POLL);
  expect_hooks_match<4>(CG_CAP_INBOUND);
  expect_hooks_match<5>(CG_CAP_HEALTH);
  expect_hooks_match<6>(CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_HEALTH);
}

TEST(SdkDescriptor, BareAdapterCreatesWithOnlyCreateAndDestroy) {
  TestHost host;
  const cg_type_plugin_descriptor* d =
      sdk::detail::PluginShim<NumberedBare<0>>::descriptor("bare", "1", 0, "{}");
  AdapterHandle adapter(d, host, "{}");
  EXPECT_TRUE(adapter.ok()) << adapter.error();
}

class SdkHooks : public ::testing::Test {
 protected:
  TestHost host;
  const cg_type_plugin_descriptor* descriptor = coregate_plugin_init();
};

TEST_F(SdkHooks, WriteAppliedCarriesReferenceAndSeesEveryRequestField) {
  AdapterHandle adapter(descriptor, host, "{}");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  WriteCall call;
  call.key = "k-42";
  call.outcome_id = "o-7";
  call.outcome_type = "arrangement.promise_to_pay";
  call.subject = "acct-9";
  call.attempt = 3;
  call.record_json = R"({"amount":"12.30","currency":"ZAR"})";
  call.deadline_unix_ms = 1'700'000'000'123;
  WriteOutcome o = adapter.write(call);
  EXPECT_EQ(o.status, CG_STATUS_OK);
  EXPECT_EQ(o.write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(o.reference, "ref-k-42");
  EXPECT_EQ(o.retry_after_ms, 0);
  EXPECT_EQ(
      o.diagnostic,
      R"(o-7|arrangement.promise_to_pay|acct-9|3|{"amount":"12.30","currency":"ZAR"}|1700000000123)");
}

TEST_F(SdkHooks, EveryWriteClassCrossesWithItsFields) {
  AdapterHandle adapter(descriptor, host, "{}");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  WriteOutcome retry = adapter.write("retry-1");
  EXPECT_EQ(retry.status, CG_STATUS_OK);
  EXPECT_EQ(retry.write_class, CG_WRITE_RETRYABLE);
  EXPECT_EQ(retry.retry_after_ms, 750);
  EXPECT_EQ(retry.diagnostic, "busy retry-1");
  WriteOutcome reject = adapter.write("reject-1");
  EXPECT_EQ(reject.write_class, CG_WRITE_REJECTED);
  EXPECT_EQ(reject.diagnostic, "bad reject-1");
  EXPECT_TRUE(reject.reference.empty());
  WriteOutcome ambiguous = adapter.write("ambiguous-1");
  EXPECT_EQ(ambiguous.write_class, CG_WRITE_AMBIGUOUS);
  EXPECT_EQ(ambiguous.diagnostic, "lost ambiguous-1");
  WriteOutcome dup = adapter.write("dup-1");
  EXPECT_EQ(dup.write_class, CG_WRITE_ALREADY_APPLIED);
  EXPECT_EQ(dup.reference, "ref-dup-1");
  EXPECT_EQ(dup.diagnostic, "seen");
}

TEST_F(SdkHooks, WriteWithARecordThatIsNotAnObjectIsAnErrorNotACrash) {
  AdapterHandle adapter(descriptor, host, "{}");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  for (std::string bad : {"[1,2]", "not json", "", "{\"unterminated\": "}) {
    WriteCall call;
    call.record_json = bad;
    WriteOutcome o = adapter.write(call);
    EXPECT_EQ(o.status, CG_STATUS_ERROR) << bad;
    EXPECT_EQ(o.diagnostic.rfind("write: ", 0), 0u) << o.diagnostic;
  }
}

TEST_F(SdkHooks, ProbeStatesCross) {
  AdapterHandle adapter(descriptor, host, "{}");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  ProbeOutcome landed = adapter.probe("landed");
  EXPECT_EQ(landed.status, CG_STATUS_OK);
  EXPECT_EQ(landed.state, CG_PROBE_APPLIED);
  EXPECT_EQ(landed.reference, "ref-landed");
  ProbeOutcome missing = adapter.probe("missing");
  EXPECT_EQ(missing.state, CG_PROBE_NOT_FOUND);
  EXPECT_TRUE(missing.reference.empty());
  ProbeOutcome unknown = adapter.probe("other", R"({"id":5})");
  EXPECT_EQ(unknown.state, CG_PROBE_UNKNOWN);
  EXPECT_EQ(unknown.diagnostic, R"(cannot tell other {"id":5})");
  ProbeOutcome no_record = adapter.probe("other", "");
  EXPECT_EQ(no_record.status, CG_STATUS_OK) << "an empty record is allowed for probes";
  EXPECT_EQ(no_record.diagnostic, "cannot tell other {}");
}

TEST_F(SdkHooks, PollRecordsAndCursorCross) {
  AdapterHandle adapter(descriptor, host, "{}");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  PollOutcome o = adapter.poll("debits", "c1", 2);
  EXPECT_EQ(o.status, CG_STATUS_OK);
  EXPECT_EQ(boost::json::parse(o.records_json),
            boost::json::parse(R"([{"n":0,"source":"debits"},{"n":1,"source":"debits"}])"));
  EXPECT_EQ(o.next_cursor, "c1+2");
  PollOutcome empty = adapter.poll("debits", "", 0);
  EXPECT_EQ(empty.records_json, "[]");
}

TEST_F(SdkHooks, InboundReplyAndRecordsCross) {
  AdapterHandle adapter(descriptor, host, "{}");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  InboundOutcome o = adapter.inbound("payload", R"({"x-sig":"abc"})", "/hook?a=1");
  EXPECT_EQ(o.status, CG_STATUS_OK);
  EXPECT_EQ(o.reply_status, 202);
  EXPECT_EQ(o.reply_body, "accepted");
  EXPECT_EQ(boost::json::parse(o.reply_headers_json), boost::json::parse(R"({"x-echo":"yes"})"));
  EXPECT_EQ(boost::json::parse(o.records_json),
            boost::json::parse(R"([{"body":"payload","method":"POST","target":"/hook?a=1",
                                   "headers":{"x-sig":"abc"}}])"));
}

TEST_F(SdkHooks, HealthStateDetailLogsAndMetricsCross) {
  AdapterHandle adapter(descriptor, host, "{}", "core-a");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  HealthOutcome o = adapter.health();
  EXPECT_EQ(o.status, CG_STATUS_OK);
  EXPECT_EQ(o.state, CG_HEALTH_DEGRADED);
  EXPECT_EQ(o.detail, "half the links are down");
  EXPECT_TRUE(host.logged("health checked"));
  auto metrics = host.metrics();
  ASSERT_EQ(metrics.size(), 1u);
  EXPECT_EQ(metrics[0].kind, CG_METRIC_COUNTER);
  EXPECT_EQ(metrics[0].name, "checks_total");
  EXPECT_EQ(metrics[0].labels_json, R"({"kind":"health"})");
  EXPECT_EQ(metrics[0].value, 1.0);
}

TEST_F(SdkHooks, CreateResolvesSecretsThroughTheHost) {
  host.set_secret("${env:PW}", "-s3cret");
  AdapterHandle adapter(descriptor, host, R"({"password": "${env:PW}"})");
  ASSERT_TRUE(adapter.ok()) << adapter.error();
  EXPECT_EQ(adapter.health().detail, "half the links are down-s3cret");
}

TEST_F(SdkHooks, EmptyConfigTextIsAnEmptyObject) {
  AdapterHandle adapter(descriptor, host, "");
  EXPECT_TRUE(adapter.ok()) << adapter.error();
}

TEST_F(SdkHooks, CreateErrorsNameTheKeyOrTheProblem) {
  struct Case {
    std::string config;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"count": "three"})", "config key 'count' must be an integer"},
           {R"({"count": 2.5})", "config key 'count' must be an integer"},
           {R"({"required": 7})", "config key 'required' must be a string"},
           {R"({"password": "${env:NOPE}"})", "config key 'password': no such secret"},
           {R"([1])", "config is not a JSON object"},
           {R"({"broken": )", "create: "},
       }) {
    AdapterHandle adapter(descriptor, host, c.config, "core-a");
    EXPECT_FALSE(adapter.ok()) << c.config;
    EXPECT_EQ(adapter.create_status(), CG_STATUS_ERROR) << c.config;
    EXPECT_EQ(adapter.raw(), nullptr) << "no adapter leaks out of a failed create";
    EXPECT_EQ(adapter.error().rfind("create: ", 0), 0u) << adapter.error();
    EXPECT_NE(adapter.error().find(c.expected), std::string::npos)
        << c.config << " -> " << adapter.error();
  }
}

TEST_F(SdkHooks, InstancesAreIndependentAndDestroyIsClean) {
  AdapterHandle a(descriptor, host, "{}", "a");
  AdapterHandle b(descriptor, host, R"({"throw_in": "health"})", "b");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.health().status, CG_STATUS_OK);
  EXPECT_EQ(b.health().status, CG_STATUS_ERROR);
  descriptor->hooks->cg_on_destroy(nullptr);  // tolerated: nothing to free
}

}  // namespace
}  // namespace coregate::testing
