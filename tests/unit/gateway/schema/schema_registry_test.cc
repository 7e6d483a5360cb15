// SchemaRegistry on real files in a temporary folder: loading, lookup by $id and by path,
// cross-file $ref (relative and $id-based), list(), subschema_at() and load-time errors.
#include "gateway/schema/schema_registry.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <random>

namespace coregate::schema {
namespace {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("coregate-schema-test-" + std::to_string(rd()));
    fs::create_directories(root_);
  }
  ~TempTree() { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

void write_tree(const TempTree& t) {
  t.write("common/money.json", R"({
    "$id": "https://example.test/s/common/money.json",
    "type": "object", "required": ["value"],
    "properties": {"value": {"$ref": "#/$defs/decimal"}, "currency": {"type": "string"}},
    "additionalProperties": false,
    "$defs": {"decimal": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"}}})");
  t.write("outcomes/pay.json", R"({
    "$id": "https://example.test/s/outcomes/pay.json",
    "type": "object",
    "properties": {"type": {"const": "pay"},
                   "data": {"type": "object", "properties": {
                       "amount": {"$ref": "../common/money.json"},
                       "lines": {"type": "array", "prefixItems": [{"type": "string"}],
                                 "items": {"$ref": "../common/money.json"}}},
                       "additionalProperties": false}},
    "allOf": [{"properties": {"note": {"type": "string"}}}]})");
  // No $id: relative refs resolve against the file's own location.
  t.write("outcomes/note.json", R"({"properties": {"amount": {"$ref": "../common/money.json"}}})");
}

TEST(SchemaRegistry, LoadsFindsAndResolvesAcrossFiles) {
  TempTree t;
  write_tree(t);
  SchemaRegistry registry;
  registry.load_directory(t.root());

  auto by_path = registry.find("outcomes/pay.json");
  auto by_id = registry.find("https://example.test/s/outcomes/pay.json");
  ASSERT_TRUE(by_path);
  EXPECT_EQ(by_path, by_id);
  EXPECT_EQ(registry.find("outcomes/missing.json"), nullptr);

  auto ok = boost::json::parse(R"({"type":"pay","data":{"amount":{"value":"12.50"}}})");
  auto float_amount = boost::json::parse(R"({"type":"pay","data":{"amount":{"value":12.5}}})");
  EXPECT_TRUE(by_path->validate(ok, nullptr));
  std::vector<ValidationError> errors;
  EXPECT_FALSE(by_path->validate(float_amount, &errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].instance_pointer, "/data/amount/value");
  EXPECT_EQ(errors[0].keyword, "type");

  auto note = registry.find("outcomes/note.json");
  ASSERT_TRUE(note);
  EXPECT_FALSE(note->validate(boost::json::parse(R"({"amount":{"value":"x"}})"), nullptr));
}

TEST(SchemaRegistry, ListsSchemaNamesPerFolder) {
  TempTree t;
  write_tree(t);
  SchemaRegistry registry;
  registry.load_directory(t.root());
  EXPECT_EQ(registry.list("outcomes"), (std::vector<std::string>{"note", "pay"}));
  EXPECT_EQ(registry.list("outcomes/"), (std::vector<std::string>{"note", "pay"}));
  EXPECT_TRUE(registry.list("nothing").empty());
}

TEST(SchemaRegistry, SubschemaAtFollowsPropertiesItemsRefsAndAllOf) {
  TempTree t;
  write_tree(t);
  SchemaRegistry registry;
  registry.load_directory(t.root());
  const auto* value = registry.subschema_at("outcomes/pay.json", "/data/amount/value");
  ASSERT_NE(value, nullptr);
  EXPECT_EQ(value->at("pattern").as_string(), "^[0-9]+(\\.[0-9]+)?$");
  const auto* first_line = registry.subschema_at("outcomes/pay.json", "/data/lines/0");
  ASSERT_NE(first_line, nullptr);
  EXPECT_EQ(first_line->at("type").as_string(), "string");
  const auto* later_line = registry.subschema_at("outcomes/pay.json", "/data/lines/3/currency");
  ASSERT_NE(later_line, nullptr);
  EXPECT_EQ(later_line->at("type").as_string(), "string");
  const auto* note = registry.subschema_at("outcomes/pay.json", "/note");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->at("type").as_string(), "string");
  const auto* root = registry.subschema_at("outcomes/pay.json", "");
  ASSERT_NE(root, nullptr);
  EXPECT_TRUE(root->as_object().contains("allOf"));
  // Not described: additionalProperties:false, unknown member, unknown schema.
  EXPECT_EQ(registry.subschema_at("outcomes/pay.json", "/data/amount/cents"), nullptr);
  EXPECT_EQ(registry.subschema_at("outcomes/pay.json", "/data/surprise"), nullptr);
  EXPECT_EQ(registry.subschema_at("outcomes/nope.json", "/data"), nullptr);
}

TEST(SchemaRegistry, BadFilesAreRefusedNamingFileAndPointer) {
  {
    TempTree t;
    t.write("a.json", R"({"properties": {"x": {"propertyNames": {}}}})");
    SchemaRegistry registry;
    try {
      registry.load_directory(t.root());
      FAIL() << "accepted an unsupported keyword";
    } catch (const SchemaError& e) {
      EXPECT_NE(e.location().find("a.json"), std::string::npos);
      EXPECT_EQ(e.schema_pointer(), "/properties/x/propertyNames");
    }
  }
  {
    TempTree t;
    t.write("broken.json", R"({"type": )");
    SchemaRegistry registry;
    try {
      registry.load_directory(t.root());
      FAIL() << "accepted broken JSON";
    } catch (const SchemaError& e) {
      EXPECT_NE(std::string(e.what()).find("broken.json"), std::string::npos);
    }
  }
  {
    TempTree t;
    t.write("a.json", R"({"$id": "https://example.test/same.json"})");
    t.write("b.json", R"({"$id": "https://example.test/same.json"})");
    SchemaRegistry registry;
    EXPECT_THROW(registry.load_directory(t.root()), SchemaError);
  }
  {
    TempTree t;
    t.write("a.json", R"({"$ref": "missing.json"})");
    SchemaRegistry registry;
    EXPECT_THROW(registry.load_directory(t.root()), SchemaError);
  }
  SchemaRegistry registry;
  EXPECT_THROW(registry.load_directory("/nonexistent/coregate/schemas"), SchemaError);
}

TEST(SchemaRegistry, CompiledSchemaOutlivesRegistry) {
  std::shared_ptr<const CompiledSchema> schema;
  {
    SchemaRegistry registry;
    registry.add_document(boost::json::parse(R"({"type":"string","minLength":2})"),
                          "https://example.test/short.json");
    schema = registry.compile(boost::json::parse(R"({"$ref":"https://example.test/short.json"})"),
                              "https://example.test/main.json");
  }
  EXPECT_TRUE(schema->validate(boost::json::parse("\"ab\""), nullptr));
  EXPECT_FALSE(schema->validate(boost::json::parse("\"a\""), nullptr));
}

}  // namespace
}  // namespace coregate::schema
