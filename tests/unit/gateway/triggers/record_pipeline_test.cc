#include "gateway/triggers/record_pipeline.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "gateway/triggers/cloud_event.h"

namespace coregate::triggers {
namespace {

const std::string kSource = COREGATE_SOURCE_DIR;

boost::json::value read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return boost::json::parse(s.str());
}

class RecordPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schemas_.load_directory(kSource + "/schemas");
    mapping::CompileOptions options;
    options.schemas = &schemas_;
    rules_.rules.source = "returns";
    rules_.rules.type = "payment.failed";
    rules_.rules.natural_key = {"DO-REFERENCE"};
    rules_.mapping = mapping::load_mapping(
        kSource + "/examples/mappings/payment_failed.debit_order_row.json", options);
    rules_.schema = schemas_.find("triggers/payment.failed.json");
    ASSERT_TRUE(rules_.schema);
    rules_.event_source = "/coregate/sources/returns";
    rules_.event_type = "coregate.trigger.payment.failed";
    rules_.dataschema = rules_.schema->uri();
    sample_ = read_json(kSource + "/examples/mappings/samples/debit_order_row.json");
  }
  schema::SchemaRegistry schemas_;
  CompiledRules rules_;
  boost::json::value sample_;
};

TEST_F(RecordPipelineTest, MapsValidatesAndWrapsInACloudEvent) {
  RecordContext context;
  context.now_ms = 1772409451000;
  auto verdict = make_trigger(rules_, sample_, context);
  ASSERT_TRUE(verdict.ok) << verdict.reason;
  auto parsed = parse_structured_cloudevent(verdict.trigger.event_json);
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.event.type, "coregate.trigger.payment.failed");
  EXPECT_EQ(parsed.event.source, "/coregate/sources/returns");
  EXPECT_EQ(parsed.event.subject.value_or(""), "4000123456");
  EXPECT_EQ(parsed.event.id, stable_trigger_id("returns", {"DO-REFERENCE", "DO-20260301-77812"}));
  EXPECT_EQ(parsed.event.data->at("reason"), "insufficient_funds");
  EXPECT_EQ(verdict.trigger.subject, "4000123456");
}

TEST_F(RecordPipelineTest, TheIdDependsOnlyOnSourceAndNaturalKey) {
  RecordContext context;
  context.now_ms = 1;
  auto a = make_trigger(rules_, sample_, context);
  auto changed = sample_;
  changed.as_object()["DO-RETURN-CODE"] = "12";
  context.now_ms = 2;
  auto b = make_trigger(rules_, changed, context);
  ASSERT_TRUE(a.ok && b.ok);
  EXPECT_EQ(a.trigger.id, b.trigger.id);
  rules_.rules.source = "other";
  auto c = make_trigger(rules_, sample_, context);
  EXPECT_NE(a.trigger.id, c.trigger.id);
  EXPECT_NE(stable_trigger_id("s", {"ab", "c"}), stable_trigger_id("s", {"a", "bc"}));
}

TEST_F(RecordPipelineTest, BadRecordsBecomeExceptionsWithTheirReason) {
  RecordContext context;
  auto no_key = sample_;
  no_key.as_object().erase("DO-REFERENCE");
  auto verdict = make_trigger(rules_, no_key, context);
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.reason.find("DO-REFERENCE"), std::string::npos) << verdict.reason;

  auto bad_code = sample_;
  bad_code.as_object()["DO-RETURN-CODE"] = "99";
  verdict = make_trigger(rules_, bad_code, context);
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.reason.find("mapping failed"), std::string::npos) << verdict.reason;

  // Without a mapping the record itself must be a valid payment.failed.
  rules_.mapping.reset();
  verdict = make_trigger(rules_, sample_, context);
  EXPECT_FALSE(verdict.ok);
  EXPECT_NE(verdict.reason.find("not a valid payment.failed"), std::string::npos) << verdict.reason;

  EXPECT_FALSE(make_trigger(rules_, boost::json::parse("[1]"), context).ok);
}

}  // namespace
}  // namespace coregate::triggers
