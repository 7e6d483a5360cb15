// `coregate validate` exit codes and messages, run through the verb function itself.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "gateway/cli/commands.h"

namespace coregate::cli {
namespace {

namespace fs = std::filesystem;

class SchemaValidateCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("coregate-validate-" + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string file(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  int run(std::vector<std::string> words) {
    out_.str("");
    err_.str("");
    return run_validate_command(Args(words), out_, err_);
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(SchemaValidateCommand, ValidInstanceExitsZero) {
  std::string schema = file("s.json", R"({"type":"object","required":["a"]})");
  std::string instance = file("i.json", R"({"a":1})");
  EXPECT_EQ(run({"--schema", schema, "--instance", instance}), 0) << err_.str();
  EXPECT_NE(out_.str().find("valid"), std::string::npos);
}

TEST_F(SchemaValidateCommand, InvalidInstanceExitsOneWithPointerAndKeyword) {
  std::string schema =
      file("s.json", R"({"properties":{"amount":{"type":"string"}},"required":["id"]})");
  std::string instance = file("i.json", R"({"amount":12.5})");
  EXPECT_EQ(run({"--schema", schema, "--instance", instance}), 1);
  EXPECT_NE(err_.str().find("/amount: type:"), std::string::npos) << err_.str();
  EXPECT_NE(err_.str().find("(root): required:"), std::string::npos) << err_.str();
}

TEST_F(SchemaValidateCommand, BadSchemasExitTwoNamingFileAndPointer) {
  std::string instance = file("i.json", "{}");
  std::string unsupported = file("u.json", R"({"properties":{"a":{"contains":{}}}})");
  EXPECT_EQ(run({"--schema", unsupported, "--instance", instance}), 2);
  EXPECT_NE(err_.str().find(unsupported + " at /properties/a/contains"), std::string::npos)
      << err_.str();  // the file path as given, not a file:// URI
  EXPECT_NE(err_.str().find("/properties/a/contains"), std::string::npos) << err_.str();

  std::string bad_ref = file("r.json", R"({"$ref":"other.json#/nope"})");
  EXPECT_EQ(run({"--schema", bad_ref, "--instance", instance}), 2);
  EXPECT_NE(err_.str().find("/$ref"), std::string::npos) << err_.str();

  std::string not_json = file("n.json", "{\n  \"type\": \n");
  EXPECT_EQ(run({"--schema", not_json, "--instance", instance}), 2);
  EXPECT_NE(err_.str().find("n.json"), std::string::npos) << err_.str();

  EXPECT_EQ(run({"--schema", (dir_ / "absent.json").string(), "--instance", instance}), 2);
  EXPECT_EQ(run({"--schema", unsupported}), 2);  // missing --instance
}

TEST_F(SchemaValidateCommand, BadInstanceFileExitsTwo) {
  std::string schema = file("s.json", "{}");
  std::string instance = file("i.json", "{\"a\": tru}");
  EXPECT_EQ(run({"--schema", schema, "--instance", instance}), 2);
  EXPECT_NE(err_.str().find("i.json:1:"), std::string::npos) << err_.str();
}

TEST_F(SchemaValidateCommand, CanonicalSchemaResolvesSharedDefinitions) {
  fs::path schema =
      fs::path(COREGATE_SOURCE_DIR) / "schemas" / "outcomes" / "arrangement.promise_to_pay.json";
  std::string good = file("good.json", R"({"type":"arrangement.promise_to_pay","subject":"a:1",
      "data":{"account":{"account_id":"1"},"amount":{"value":"10.00","currency":"ZAR"},
              "promised_date":"2026-03-15"}})");
  std::string floaty = file("float.json", R"({"type":"arrangement.promise_to_pay","subject":"a:1",
      "data":{"account":{"account_id":"1"},"amount":{"value":10.0,"currency":"ZAR"},
              "promised_date":"2026-03-15"}})");
  EXPECT_EQ(run({"--schema", schema.string(), "--instance", good}), 0) << err_.str();
  EXPECT_EQ(run({"--schema", schema.string(), "--instance", floaty}), 1);
  EXPECT_NE(err_.str().find("/data/amount/value: type: expected string, got number"),
            std::string::npos)
      << err_.str();
}

}  // namespace
}  // namespace coregate::cli
