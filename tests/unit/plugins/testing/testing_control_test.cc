// Run-time control of the testing adapter: a control file re-read when it changes and inbound
// control requests replace faults, latency and health without a restart; bad documents are
// refused and the settings in force stay.
#include "tests/unit/plugins/testing/plugin_fixture.h"

namespace coregate::testing {
namespace {

TEST_F(TestingPlugin, ControlFileFlipsFaultsAndHealthWhileRunning) {
  std::string control = path("control.json");
  AdapterHandle& a = create(R"({"control_file": )" + quote(control) + "}");
  EXPECT_EQ(a.write("before").write_class, CG_WRITE_APPLIED) << "a missing file: no overrides";

  write_atomically(control, R"({"health": "unhealthy", "health_detail": "maintenance",
                                "faults": {"write": {"rejected": 1.0}}})");
  EXPECT_EQ(a.write("during").write_class, CG_WRITE_REJECTED);
  HealthOutcome h = a.health();
  EXPECT_EQ(h.state, CG_HEALTH_UNHEALTHY);
  EXPECT_EQ(h.detail, "maintenance");

  write_atomically(control, R"({"health": "degraded"})");
  EXPECT_EQ(a.write("after").write_class, CG_WRITE_APPLIED) << "faults absent: back to none";
  EXPECT_EQ(a.health().state, CG_HEALTH_DEGRADED);

  std::filesystem::remove(control);
  EXPECT_EQ(a.health().state, CG_HEALTH_HEALTHY) << "file removed: static config again";
  EXPECT_TRUE(host_.logged("control file '" + control + "' applied"));
  EXPECT_TRUE(host_.logged("control file '" + control + "' absent: static config in force"));
}

TEST_F(TestingPlugin, ControlFileOverlaysTheStaticConfig) {
  std::string control = path("control.json");
  write_atomically(control, R"({"faults": {"write": {"retryable": 1.0}}})");
  AdapterHandle& a = create(R"({"health": "degraded", "control_file": )" + quote(control) + "}");
  EXPECT_EQ(a.write("k").write_class, CG_WRITE_RETRYABLE) << "an existing file applies at create";
  EXPECT_EQ(a.health().state, CG_HEALTH_DEGRADED) << "keys the file omits keep static values";
}

TEST_F(TestingPlugin, ABadControlFileIsReportedAndTheSettingsInForceStay) {
  std::string control = path("control.json");
  AdapterHandle& a = create(R"({"control_file": )" + quote(control) + "}");
  write_atomically(control, R"({"faults": {"write": {"rejected": 1.0}}})");
  ASSERT_EQ(a.write("k1").write_class, CG_WRITE_REJECTED);
  for (std::string bad : {R"({"faults": {"write": {"rejected": 2}}})", "{not json",
                          R"({"journal": "elsewhere.jsonl"})", R"({"latncy_ms": 5})", "[]"}) {
    write_atomically(control, bad);
    EXPECT_EQ(a.write("k1").write_class, CG_WRITE_REJECTED) << "still in force after: " << bad;
    HealthOutcome h = a.health();
    EXPECT_NE(h.detail.find("control file '" + control + "' ignored"), std::string::npos)
        << bad << " -> " << h.detail;
  }
  EXPECT_TRUE(host_.logged("cannot change at run time"));
  EXPECT_TRUE(host_.logged("did you mean 'latency_ms'?"));
  write_atomically(control, "{}");
  EXPECT_EQ(a.write("k1").write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(a.health().detail.find("ignored"), std::string::npos) << "a good file clears it";
}

TEST_F(TestingPlugin, AStartupControlFileThatIsBadDoesNotFailCreate) {
  std::string control = path("control.json");
  write_atomically(control, "{oops");
  AdapterHandle& a = create(R"({"control_file": )" + quote(control) + "}");
  EXPECT_EQ(a.write("k").write_class, CG_WRITE_APPLIED);
  EXPECT_NE(a.health().detail.find("not JSON"), std::string::npos);
}

TEST_F(TestingPlugin, InboundControlReplacesRuntimeSettings) {
  AdapterHandle& a = create("{}");
  InboundOutcome o = a.inbound(R"({"control": {"faults": {"rules": [
      {"key": "x", "fault": "rejected"}]}, "health": "degraded"}})");
  EXPECT_EQ(o.status, CG_STATUS_OK);
  EXPECT_EQ(o.reply_status, 200);
  EXPECT_EQ(boost::json::parse(o.reply_body), boost::json::parse(R"({"ok":true,"generation":2})"));
  EXPECT_EQ(o.records_json, "[]") << "control requests ingest no triggers";
  EXPECT_EQ(a.write("x").write_class, CG_WRITE_REJECTED);
  EXPECT_EQ(a.health().state, CG_HEALTH_DEGRADED);

  InboundOutcome bad = a.inbound(R"({"control": {"seed": 9}})");
  EXPECT_EQ(bad.reply_status, 400);
  EXPECT_NE(bad.reply_body.find("'seed' cannot change at run time"), std::string::npos)
      << bad.reply_body;
  EXPECT_EQ(a.write("x").write_class, CG_WRITE_REJECTED) << "a refused control changes nothing";
}

TEST_F(TestingPlugin, InboundListsRecordsAndStats) {
  AdapterHandle& a = create(R"({"faults": {"rules": [{"key": "r", "fault": "retryable"}]}})");
  for (auto [key, subject] :
       std::vector<std::pair<std::string, std::string>>{{"k1", "s1"}, {"k2", "s2"}, {"k3", "s1"}}) {
    WriteCall call;
    call.key = key;
    call.subject = subject;
    ASSERT_EQ(a.write(call).write_class, CG_WRITE_APPLIED);
  }
  ASSERT_EQ(a.write("r").write_class, CG_WRITE_RETRYABLE);
  InboundOutcome all = a.inbound(R"({"records": true})");
  EXPECT_EQ(all.reply_status, 200);
  auto body = boost::json::parse(all.reply_body).as_object();
  EXPECT_EQ(body.at("count").as_int64(), 3);
  InboundOutcome s1 = a.inbound(R"({"records": {"subject": "s1"}})");
  auto records = boost::json::parse(s1.reply_body).at("records").as_array();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("key").as_string(), "k1");
  EXPECT_EQ(records[1].at("key").as_string(), "k3");
  EXPECT_LT(records[0].at("seq").as_int64(), records[1].at("seq").as_int64());
  auto stats = boost::json::parse(a.inbound(R"({"stats": true})").reply_body).at("stats");
  EXPECT_EQ(stats.at("writes").to_number<uint64_t>(), 4u);
  EXPECT_EQ(stats.at("applied").to_number<uint64_t>(), 3u);
  EXPECT_EQ(stats.at("retryable").to_number<uint64_t>(), 1u);
  for (std::string bad :
       {"", "[]", R"({"dance": true})", R"({"stats": 1, "records": 1})", R"({"control": 5})"}) {
    EXPECT_EQ(a.inbound(bad).reply_status, 400) << bad;
  }
}

TEST_F(TestingPlugin, InboundControlCanBeSwitchedOff) {
  AdapterHandle& a = create(R"({"inbound_control": false})");
  EXPECT_EQ(a.inbound(R"({"stats": true})").reply_status, 404);
  AdapterHandle& lean = create(R"({"keep_records": false})", "lean");
  EXPECT_EQ(lean.inbound(R"({"records": true})").reply_status, 409);
}

}  // namespace
}  // namespace coregate::testing
