#include "gateway/config/schema_coercion.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace coregate::config {
namespace {

boost::json::value j(std::string_view s) {
  return boost::json::parse(s);
}

TEST(SchemaCoercion, RestoresTypesTheSchemaAsksFor) {
  auto schema = j(R"({"type": "object", "properties": {
      "n": {"type": "integer"}, "r": {"type": "number"}, "b": {"type": "boolean"},
      "s": {"type": "string"}, "l": {"type": "array", "items": {"type": "integer"}},
      "o": {"$ref": "#/$defs/o"}, "e": {"type": "object"}},
      "$defs": {"o": {"type": "object", "properties": {"k": {"type": "integer"}}}}})");
  auto in = j(
      R"({"n": "8", "r": "2.5", "b": "true", "s": "0012", "l": ["1", "2"], "o": {"k": "3"}, "e": ""})");
  EXPECT_EQ(
      coerce_to_schema(in, schema),
      j(R"({"n": 8, "r": 2.5, "b": true, "s": "0012", "l": [1, 2], "o": {"k": 3}, "e": {}})"));
}

TEST(SchemaCoercion, LeavesUnconvertibleTextForTheValidator) {
  auto schema = j(R"({"properties": {"n": {"type": "integer"}, "b": {"type": "boolean"}}})");
  auto in = j(R"({"n": "eight", "b": "yes"})");
  EXPECT_EQ(coerce_to_schema(in, schema), in);
}

TEST(SchemaCoercion, AdditionalPropertiesSchemaApplies) {
  auto schema = j(R"({"additionalProperties": {"type": "integer"}})");
  EXPECT_EQ(coerce_to_schema(j(R"({"a": "1", "b": "2"})"), schema), j(R"({"a": 1, "b": 2})"));
}

TEST(SchemaCoercion, SurvivesSelfReferencingSchemas) {
  auto schema = j(R"({"$ref": "#"})");
  EXPECT_EQ(coerce_to_schema(j(R"({"a": "1"})"), schema), j(R"({"a": "1"})"));
}

}  // namespace
}  // namespace coregate::config
