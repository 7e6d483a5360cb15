// Validator behaviour the official suite does not pin down: error pointers and keywords, error
// bounds, refusal of unsupported keywords at load, and the exact-decimal / code-point rules.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "gateway/schema/schema_registry.h"

namespace coregate::schema {
namespace {

std::shared_ptr<const CompiledSchema> compile(const char* schema) {
  static SchemaRegistry* registry = new SchemaRegistry;  // one per process is fine for tests
  return registry->compile(boost::json::parse(schema), "");
}

std::vector<ValidationError> errors_of(const char* schema, const char* instance) {
  std::vector<ValidationError> errors;
  bool ok = compile(schema)->validate(boost::json::parse(instance), &errors);
  EXPECT_EQ(ok, errors.empty());
  return errors;
}

TEST(SchemaValidator, ErrorsCarryPointerKeywordAndMessage) {
  auto errors = errors_of(
      R"({"type":"object","properties":{"a/b":{"type":"array","items":{"type":"string"}},
          "m~n":{"minimum":3}},"required":["z"]})",
      R"({"a/b":["x",1],"m~n":2})");
  ASSERT_EQ(errors.size(), 3u);
  std::map<std::string, std::string> by_keyword;
  for (const auto& e : errors) by_keyword[e.keyword] = e.instance_pointer;
  EXPECT_EQ(by_keyword["type"], "/a~1b/1");
  EXPECT_EQ(by_keyword["minimum"], "/m~0n");
  EXPECT_EQ(by_keyword["required"], "");
  for (const auto& e : errors) EXPECT_FALSE(e.message.empty());
}

TEST(SchemaValidator, AdditionalPropertiesFalseNamesTheProperty) {
  auto errors = errors_of(R"({"properties":{"a":{}},"additionalProperties":false})",
                          R"({"a":1,"surprise":2})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_pointer, "/surprise");
  EXPECT_EQ(errors[0].keyword, "additionalProperties");
}

TEST(SchemaValidator, AnyOfFailureExplainsTheClosestAlternative) {
  auto errors = errors_of(
      R"({"anyOf":[{"type":"string","format":"date"},{"type":"object","required":["a","b"]}]})",
      R"("2026-02-30")");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].keyword, "anyOf");
  EXPECT_EQ(errors[1].keyword, "format");  // the date branch failed on one keyword only
}

TEST(SchemaValidator, ErrorListIsBounded) {
  std::string instance = "[";
  for (int i = 0; i < 1000; ++i) instance += (i ? ",1" : "1");
  instance += "]";
  auto errors = errors_of(R"({"items":{"type":"string"}})", instance.c_str());
  EXPECT_EQ(errors.size(), kMaxValidationErrors);
}

TEST(SchemaValidator, LengthCountsCodePoints) {
  auto schema = compile(R"({"maxLength":2,"minLength":2})");
  EXPECT_TRUE(schema->validate(boost::json::parse("\"\\u00e9\\u00e8\""), nullptr));
  EXPECT_TRUE(schema->validate(boost::json::parse("\"\\ud83d\\udc32a\""), nullptr));
  EXPECT_FALSE(schema->validate(boost::json::parse("\"abc\""), nullptr));
}

TEST(SchemaValidator, IntegerAcceptsZeroFractionOnly) {
  auto schema = compile(R"({"type":"integer"})");
  EXPECT_TRUE(schema->validate(boost::json::parse("3.0"), nullptr));
  EXPECT_FALSE(schema->validate(boost::json::parse("3.5"), nullptr));
  EXPECT_FALSE(schema->validate(boost::json::parse("\"3\""), nullptr));
}

TEST(SchemaValidator, FormatIsAnAssertion) {
  auto errors = errors_of(R"({"format":"date"})", R"("2026-02-30")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].keyword, "format");
}

TEST(SchemaValidator, UnsupportedKeywordsAreRefusedWithTheirPointer) {
  struct Case {
    const char* schema;
    const char* pointer;
  };
  for (const Case& c : {
           Case{R"({"unevaluatedProperties":false})", "/unevaluatedProperties"},
           Case{R"({"properties":{"a":{"contains":{}}}})", "/properties/a/contains"},
           Case{R"({"$defs":{"x":{"propertyNames":{}}}})", "/$defs/x/propertyNames"},
           Case{R"({"items":[{}]})", "/items"},
           Case{R"({"format":"ipv4"})", "/format"},
           Case{R"({"$ref":"#/$defs/missing"})", "/$ref"},
           Case{R"({"$ref":"#anchor"})", "/$ref"},
           Case{R"({"$ref":"https://elsewhere.example/x.json"})", "/$ref"},
           Case{R"({"pattern":"(unclosed"})", "/pattern"},
           Case{R"({"minLength":-1})", "/minLength"},
           Case{R"({"type":"float"})", "/type"},
           Case{R"({"$schema":"http://json-schema.org/draft-07/schema#"})", "/$schema"},
           Case{R"({"anyOf":[{"typo":1}]})", "/anyOf/0/typo"},
           Case{R"({"maximum":"10"})", "/maximum"},
           Case{R"({"multipleOf":0})", "/multipleOf"},
       }) {
    try {
      compile(c.schema);
      ADD_FAILURE() << "accepted " << c.schema;
    } catch (const SchemaError& e) {
      EXPECT_EQ(e.schema_pointer(), c.pointer) << c.schema << " -> " << e.what();
      EXPECT_NE(std::string(e.what()).find(c.pointer), std::string::npos) << e.what();
    }
  }
}

TEST(SchemaValidator, InPlaceRefCyclesAreRefused) {
  EXPECT_THROW(compile(R"({"$ref":"#"})"), SchemaError);
  EXPECT_THROW(compile(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}},
                            "$ref":"#/$defs/a"})"),
               SchemaError);
  // Recursion through a deeper instance location is fine.
  auto tree = compile(R"({"type":"object","properties":{"child":{"$ref":"#"}}})");
  EXPECT_TRUE(tree->validate(boost::json::parse(R"({"child":{"child":{}}})"), nullptr));
  EXPECT_FALSE(tree->validate(boost::json::parse(R"({"child":{"child":3}})"), nullptr));
}

TEST(SchemaValidator, AnnotationsAreAcceptedAndIgnored) {
  auto schema = compile(R"({"$comment":"c","title":"t","description":"d","examples":[1],
      "default":2,"deprecated":true,"readOnly":false,"writeOnly":false,"type":"integer"})");
  EXPECT_TRUE(schema->validate(boost::json::parse("5"), nullptr));
}

TEST(SchemaValidator, ValidationIsThreadSafe) {
  auto schema = compile(R"({"type":"object","properties":{"v":{"pattern":"^[0-9]+$"}}})");
  auto good = boost::json::parse(R"({"v":"123"})");
  auto bad = boost::json::parse(R"({"v":"12x"})");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::vector<ValidationError> errors;
        if (!schema->validate(good, nullptr) || schema->validate(bad, &errors) ||
            errors.size() != 1) {
          ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace coregate::schema
