// The canonical schemas in schemas/: every file loads in one registry (refs resolve, no
// unsupported keyword), carries $schema/$id/examples, every example validates, and realistic
// mistakes an integration engineer makes are rejected with the right pointer and keyword.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/schema/schema_files.h"
#include "gateway/schema/schema_registry.h"

namespace coregate::schema {
namespace {

namespace fs = std::filesystem;
const fs::path kSchemas = fs::path(COREGATE_SOURCE_DIR) / "schemas";

class SchemaCanonical : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new SchemaRegistry;
    registry_->load_directory(kSchemas);
  }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
  }

  // Errors of `instance` against schemas/<rel>.
  static std::vector<ValidationError> errors(const std::string& rel, const std::string& instance) {
    auto schema = registry_->find(rel);
    EXPECT_TRUE(schema) << rel;
    std::vector<ValidationError> out;
    if (schema) {
      bool ok = schema->validate(boost::json::parse(instance), &out);
      EXPECT_EQ(ok, out.empty());
    }
    return out;
  }

  static bool has_error(const std::vector<ValidationError>& errors, const std::string& pointer,
                        const std::string& keyword) {
    for (const auto& e : errors) {
      if (e.instance_pointer == pointer && e.keyword == keyword) return true;
    }
    return false;
  }

  static SchemaRegistry* registry_;
};
SchemaRegistry* SchemaCanonical::registry_ = nullptr;

TEST_F(SchemaCanonical, EveryFileHasIdsAndValidExamples) {
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kSchemas)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::string rel = entry.path().lexically_relative(kSchemas).generic_string();
    if (rel.starts_with("mapping/")) continue;  // owned and tested with the mapping engine
    ++files;
    boost::json::value doc = read_json_file(entry.path());
    const auto& object = doc.as_object();
    EXPECT_EQ(object.at("$schema").as_string(), "https://json-schema.org/draft/2020-12/schema")
        << rel;
    EXPECT_EQ(object.at("$id").as_string(), "https://coregate.dev/schemas/" + rel) << rel;
    ASSERT_TRUE(object.contains("examples")) << rel;
    const auto& examples = object.at("examples").as_array();
    EXPECT_FALSE(examples.empty()) << rel;
    auto schema = registry_->find(rel);
    ASSERT_TRUE(schema) << rel;
    for (const auto& example : examples) {
      std::vector<ValidationError> errs;
      EXPECT_TRUE(schema->validate(example, &errs)) << rel;
      for (const auto& e : errs)
        ADD_FAILURE() << rel << " " << e.instance_pointer << " " << e.message;
    }
  }
  EXPECT_GE(files, 23);
}

TEST_F(SchemaCanonical, KnownTypes) {
  EXPECT_EQ(registry_->list("outcomes"),
            (std::vector<std::string>{"account.flag_cleared", "account.note_added",
                                      "arrangement.payment_plan", "arrangement.promise_to_pay",
                                      "consent.captured", "contact.address_updated",
                                      "contact.preferences_updated", "dispute.raised",
                                      "document.attached", "payment.authorised"}));
  EXPECT_EQ(
      registry_->list("triggers"),
      (std::vector<std::string>{"account.arrears_changed", "document.expiring", "kyc.refresh_due",
                                "payment.failed", "payment.received", "promise.broken"}));
}

const std::string kGoodPromise = R"({
  "type": "arrangement.promise_to_pay", "subject": "account:4000123456",
  "data": {"account": {"account_id": "4000123456"},
           "amount": {"value": "1500.00", "currency": "ZAR"},
           "promised_date": "2026-03-15"}})";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST_F(SchemaCanonical, PromiseToPayRejectsRealisticMistakes) {
  const std::string rel = "outcomes/arrangement.promise_to_pay.json";
  EXPECT_TRUE(errors(rel, kGoodPromise).empty());
  // A JSON float for money.
  EXPECT_TRUE(has_error(errors(rel, replace(kGoodPromise, R"("1500.00")", "1500.00")),
                        "/data/amount/value", "type"));
  EXPECT_TRUE(has_error(errors(rel, replace(kGoodPromise, R"("1500.00")", R"("1,500.00")")),
                        "/data/amount/value", "pattern"));
  EXPECT_TRUE(has_error(errors(rel, replace(kGoodPromise, R"("1500.00")", R"("0.00")")),
                        "/data/amount/value", "pattern"));
  EXPECT_TRUE(has_error(errors(rel, replace(kGoodPromise, R"("ZAR")", R"("zar")")),
                        "/data/amount/currency", "pattern"));
  EXPECT_TRUE(has_error(errors(rel, replace(kGoodPromise, "2026-03-15", "2026-02-30")),
                        "/data/promised_date", "format"));
  EXPECT_TRUE(has_error(
      errors(rel, replace(kGoodPromise, "arrangement.promise_to_pay", "arrangement.payment_plan")),
      "/type", "const"));
  EXPECT_TRUE(
      has_error(errors(rel, replace(kGoodPromise, R"("subject": "account:4000123456",)", "")), "",
                "required"));
  EXPECT_TRUE(
      has_error(errors(rel, replace(kGoodPromise, R"("promised_date")", R"("promise_date")")),
                "/data/promise_date", "additionalProperties"));
  EXPECT_TRUE(has_error(
      errors(
          rel,
          replace(kGoodPromise, R"("subject")",
                  R"("evidence": {"channel": "carrier_pigeon", "captured_at": "x"}, "subject")")),
      "/evidence/channel", "enum"));
}

TEST_F(SchemaCanonical, MoneyFieldIsDescribedForTheMappingEngine) {
  const auto* value =
      registry_->subschema_at("outcomes/arrangement.promise_to_pay.json", "/data/amount/value");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->at("type").as_string(), "string");
  EXPECT_TRUE(value->as_object().contains("pattern"));
  const auto* due = registry_->subschema_at("outcomes/arrangement.payment_plan.json",
                                            "/data/instalments/2/due_date");
  ASSERT_NE(due, nullptr);
  EXPECT_EQ(due->at("format").as_string(), "date");
  EXPECT_EQ(registry_->subschema_at("outcomes/arrangement.promise_to_pay.json", "/data/nope"),
            nullptr);
}

TEST_F(SchemaCanonical, GatewayConfigSchemaAcceptsQuickstartAndCatchesTypos) {
  fs::path quickstart = fs::path(COREGATE_SOURCE_DIR) / "examples" / "quickstart" / "coregate.json";
  if (fs::exists(quickstart)) {
    std::vector<ValidationError> errs;
    EXPECT_TRUE(
        registry_->find("config/gateway.json")->validate(read_json_file(quickstart), &errs));
    for (const auto& e : errs) ADD_FAILURE() << e.instance_pointer << " " << e.message;
  }
  EXPECT_TRUE(has_error(errors("config/gateway.json", R"({"adaptors": {}})"), "/adaptors",
                        "additionalProperties"));
  EXPECT_TRUE(has_error(errors("config/gateway.json", R"({"log": {"level": "loud"}})"),
                        "/log/level", "enum"));
  EXPECT_TRUE(has_error(errors("config/gateway.json", R"({"adapters": {"core": {"config": {}}}})"),
                        "/adapters/core", "required"));
  EXPECT_TRUE(has_error(errors("config/gateway.json", R"({"plans": {"anything": [1, 2]}})"),
                        "/plans/anything/0", "type"));
  EXPECT_TRUE(has_error(
      errors("config/gateway.json", R"({"adapters": {"core": {"plugin": "t", "retyr": {}}}})"),
      "/adapters/core/retyr", "additionalProperties"));
}

TEST_F(SchemaCanonical, TriggerPayloads) {
  EXPECT_TRUE(has_error(errors("triggers/payment.failed.json",
                               R"({"account": {"account_id": "1"},
                                   "amount": {"value": "10", "currency": "ZAR"},
                                   "payment_reference": "r", "failed_at": "2026-03-02",
                                   "reason": "insufficient_funds"})"),
                        "/failed_at", "format"));
  EXPECT_TRUE(has_error(errors("triggers/account.arrears_changed.json",
                               R"({"account": {"account_id": "1"},
                                   "arrears_amount": {"value": "10", "currency": "ZAR"},
                                   "days_past_due": -1, "changed_at": "2026-03-02T00:00:00Z"})"),
                        "/days_past_due", "minimum"));
}

}  // namespace
}  // namespace coregate::schema
