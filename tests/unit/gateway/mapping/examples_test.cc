// The example mappings in examples/mappings/ load against the real canonical schemas (schemas/)
// and copybook layouts, and map their sample records both ways.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/mapping/mapping.h"

#ifdef COREGATE_MAPPING_WITH_SCHEMA
#include "gateway/schema/schema_registry.h"
#endif

namespace coregate::mapping {
namespace {

namespace json = boost::json;
const std::filesystem::path kExamples =
    std::filesystem::path(COREGATE_SOURCE_DIR) / "examples/mappings";
const std::filesystem::path kSchemas = std::filesystem::path(COREGATE_SOURCE_DIR) / "schemas";

json::value read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

class MappingExamples : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(COREGATE_MAPPING_WITH_SCHEMA) && defined(COREGATE_MAPPING_WITH_COPYBOOK)
    registry_.load_directory(kSchemas);
    options_.schemas = &registry_;
#else
    GTEST_SKIP() << "needs gateway/schema and sdk/codecs/copybook in the build";
#endif
  }
#ifdef COREGATE_MAPPING_WITH_SCHEMA
  schema::SchemaRegistry registry_;
#endif
  CompileOptions options_;
};

TEST_F(MappingExamples, PromiseToPayBecomesAnArrangementRowAndBack) {
  auto m = load_mapping(kExamples / "promise_to_pay.arrangement_row.json", options_);
  auto sample = read_json(kExamples / "samples/promise_to_pay.json");
  auto row = m->apply(sample, Direction::to_system);
  ASSERT_TRUE(row.ok) << row.diagnostic(m->name());
  EXPECT_EQ(row.output, read_json(kExamples / "samples/arrangement_row.json")) << row.output;
  auto back = m->apply(row.output, Direction::to_canonical);
  ASSERT_TRUE(back.ok) << back.diagnostic(m->name());
  // Everything the row carries comes back (evidence and trigger_id are not stored by the core).
  EXPECT_EQ(back.output.at("data"), sample.at("data"));
  EXPECT_EQ(back.output.at("subject"), sample.at("subject"));
}

TEST_F(MappingExamples, DebitOrderRowBecomesAPaymentFailedTrigger) {
  auto m = load_mapping(kExamples / "payment_failed.debit_order_row.json", options_);
  auto trigger =
      m->apply(read_json(kExamples / "samples/debit_order_row.json"), Direction::to_canonical);
  ASSERT_TRUE(trigger.ok) << trigger.diagnostic(m->name());
  EXPECT_EQ(trigger.output, read_json(kExamples / "samples/payment_failed.json")) << trigger.output;
#ifdef COREGATE_MAPPING_WITH_SCHEMA
  // The trigger the mapping produced is valid against the canonical schema.
  auto schema = registry_.find("triggers/payment.failed.json");
  ASSERT_TRUE(schema);
  std::vector<schema::ValidationError> errors;
  EXPECT_TRUE(schema->validate(trigger.output, &errors))
      << (errors.empty() ? "" : errors[0].message);
#endif
}

TEST_F(MappingExamples, DebitOrderRowFailures) {
  auto m = load_mapping(kExamples / "payment_failed.debit_order_row.json", options_);
  auto row = read_json(kExamples / "samples/debit_order_row.json");
  row.as_object()["DO-DUE-DATE"] = "2026366";  // 2026 is not a leap year
  row.as_object()["DO-RETURN-CODE"] = "99";
  auto result = m->apply(row, Direction::to_canonical);
  ASSERT_FALSE(result.ok);
  ASSERT_EQ(result.errors.size(), 2u) << result.diagnostic(m->name());
  EXPECT_EQ(result.errors[0].code, MapErrorCode::invalid_julian_day);
  EXPECT_EQ(result.errors[0].input_path, "/DO-DUE-DATE");
  EXPECT_EQ(result.errors[1].code, MapErrorCode::unknown_code);
}

#ifdef COREGATE_MAPPING_WITH_SCHEMA
TEST_F(MappingExamples, EveryExampleMatchesTheMappingSchema) {
  auto schema = registry_.find("mapping/mapping.json");
  ASSERT_TRUE(schema) << "schemas/mapping/mapping.json not loaded";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".json") continue;
    std::vector<schema::ValidationError> errors;
    EXPECT_TRUE(schema->validate(read_json(entry.path()), &errors))
        << entry.path() << ": "
        << (errors.empty() ? "" : errors[0].instance_pointer + " " + errors[0].message);
    ++checked;
  }
  EXPECT_GE(checked, 2);
  // And the schema rejects what the compiler rejects structurally.
  EXPECT_FALSE(schema->validate(
      json::parse(R"({"name": "x", "fields": [{"canonical": "a", "system": "/A"}]})"), nullptr));
  EXPECT_FALSE(
      schema->validate(json::parse(R"({"name": "x", "fields": [{"canonical": "/a"}]})"), nullptr));
  EXPECT_FALSE(schema->validate(
      json::parse(
          R"({"name": "x", "fields": [{"canonical": "/a", "system": "/A", "decimal": {"rounding": "bankers"}}]})"),
      nullptr));
}
#endif

TEST_F(MappingExamples, EveryExampleCompiles) {
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".json") continue;
    EXPECT_NO_THROW(load_mapping(entry.path(), options_)) << entry.path();
  }
}

}  // namespace
}  // namespace coregate::mapping
