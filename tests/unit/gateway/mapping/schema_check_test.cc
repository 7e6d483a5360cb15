// Type-check against the canonical schema with the real SchemaRegistry (gateway/schema).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "tests/unit/gateway/mapping/mapping_test_support.h"

#ifdef COREGATE_MAPPING_WITH_SCHEMA
#include "gateway/schema/schema_registry.h"
#endif

namespace coregate::mapping {
namespace {

#ifdef COREGATE_MAPPING_WITH_SCHEMA

using testing::load_error;

constexpr const char* kSchemaId = "https://coregate.test/schemas/promise.json";

class MappingSchemaCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.compile(boost::json::parse(R"({
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://coregate.test/schemas/promise.json",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "account": {"$ref": "#/$defs/account"},
        "amount": {"type": "object", "properties": {
            "value": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
            "currency": {"type": "string"}}},
        "due_date": {"type": "string", "format": "date"},
        "promised_at": {"type": "string", "format": "date-time"},
        "instalments": {"type": "integer"},
        "ratio": {"type": "number"},
        "channel": {"enum": ["sms", "voice", "web"]}
      },
      "$defs": {"account": {"type": "object", "properties": {"id": {"type": "string"}}}}
    })"),
                      kSchemaId);
    options_.schemas = &registry_;
  }

  std::string error_for(const std::string& rules) {
    return load_error(std::string(R"({"name": "p2p", "canonical": {"schema": ")") + kSchemaId +
                          R"("}, "fields": )" + rules + "}",
                      options_);
  }

  schema::SchemaRegistry registry_;
  CompileOptions options_;
};

TEST_F(MappingSchemaCheck, AWellTypedMappingLoads) {
  EXPECT_EQ(error_for(R"([
      {"canonical": "/account/id", "system": "/ACCT"},
      {"canonical": "/amount/value", "system": "/AMT", "decimal": {"precision": 9, "scale": 2}},
      {"canonical": "/due_date", "system": "/DUE", "date": {"system": "ccyymmdd"}},
      {"canonical": "/promised_at", "system": "/TS", "date": {"canonical": "iso_datetime", "system": "ccyymmddhhmmss"}},
      {"canonical": "/instalments", "system": "/N", "cast": {"canonical": "integer", "system": "string"}},
      {"canonical": "/channel", "system": "/CH", "codes": {"table": {"sms": "S", "voice": "V"}}}])"),
            "");
}

TEST_F(MappingSchemaCheck, PathTheSchemaDoesNotDescribe) {
  const std::string error = error_for(R"([{"canonical": "/amount/valeu", "system": "/AMT"}])");
  EXPECT_NE(error.find("test.mapping.json: step 0 (canonical /amount/valeu <-> system /AMT) at "
                       "/fields/0/canonical: canonical schema"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("does not describe /amount/valeu"), std::string::npos) << error;
  // additionalProperties: false at the root.
  EXPECT_NE(error_for(R"([{"canonical": "/acount/id", "system": "/A"}])").find("does not describe"),
            std::string::npos);
  // Conditions are checked too.
  EXPECT_NE(error_for(R"([{"system": "/A", "constant": "x",
                            "when": {"canonical": "/chanel", "exists": true}}])")
                .find("/fields/0/when/canonical"),
            std::string::npos);
}

TEST_F(MappingSchemaCheck, DecimalOnADateIsRefused) {
  const std::string error =
      error_for(R"([{"canonical": "/due_date", "system": "/AMT", "decimal": {"scale": 2}}])");
  EXPECT_NE(error.find("the canonical schema says /due_date is a date (format date); a decimal "
                       "operation cannot apply to it"),
            std::string::npos)
      << error;
  EXPECT_NE(error_for(R"([{"canonical": "/ratio", "system": "/R", "decimal": {"scale": 2}}])")
                .find("binary floating point is never used for money"),
            std::string::npos);
}

TEST_F(MappingSchemaCheck, OtherTypeMismatches) {
  EXPECT_NE(
      error_for(
          R"([{"canonical": "/instalments", "system": "/D", "date": {"system": "ccyymmdd"}}])")
          .find("is integer; the date operation needs string"),
      std::string::npos);
  EXPECT_NE(
      error_for(
          R"([{"canonical": "/promised_at", "system": "/D", "date": {"system": "ccyymmdd"}}])")
          .find("has format date-time; the rule reads it as iso_date"),
      std::string::npos);
  EXPECT_NE(
      error_for(
          R"([{"canonical": "/due_date", "system": "/N", "cast": {"canonical": "integer", "system": "string"}}])")
          .find("the cast needs integer"),
      std::string::npos);
  EXPECT_NE(
      error_for(
          R"([{"canonical": "/channel", "system": "/CH", "codes": {"table": {"sms": "S", "emial": "E"}}}])")
          .find("canonical code \"emial\" is not in the schema's enum"),
      std::string::npos);
}

TEST_F(MappingSchemaCheck, UnknownSchemaIsRefused) {
  const std::string error = load_error(
      R"({"name": "x", "canonical": {"schema": "outcomes/nope.json"}, "fields": [{"canonical": "/a", "system": "/A"}]})",
      options_);
  EXPECT_NE(error.find("unknown canonical schema 'outcomes/nope.json'"), std::string::npos)
      << error;
}

#else
TEST(MappingSchemaCheck, NeedsTheSchemaComponent) {
  GTEST_SKIP() << "built without gateway/schema";
}
#endif

}  // namespace
}  // namespace coregate::mapping
