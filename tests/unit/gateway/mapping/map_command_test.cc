// `coregate map`: the verb's code (gateway/cli/map_command.cc) run in-process on the example
// mappings: exit 0 with pretty JSON, 1 with input errors, 2 with load problems or bad usage.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/cli/commands.h"

namespace coregate::cli {
namespace {

const std::string kExamples = std::string(COREGATE_SOURCE_DIR) + "/examples/mappings";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome map(std::vector<std::string> words) {
  std::ostringstream out, err;
  int code = run_map_command(Args(words), out, err);
  return {code, out.str(), err.str()};
}

std::string temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("coregate_map_cli_" + name);
  std::ofstream(path) << text;
  return path.string();
}

TEST(MappingMapCommand, PrintsTheMappedRecordAsPrettyJson) {
  auto r = map({"--mapping", kExamples + "/promise_to_pay.arrangement_row.json", "--input",
                kExamples + "/samples/promise_to_pay.json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("{\n  \"ARR-ACCOUNT-NO\": \"4000123456\",\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"ARR-DUE-DATE\": 20260315"), std::string::npos) << r.out;
  EXPECT_EQ(boost::json::parse(r.out).at("ARR-AMOUNT"), "1500.00");
}

TEST(MappingMapCommand, ReverseMapsASystemRecord) {
  auto r = map({"--mapping", kExamples + "/payment_failed.debit_order_row.json", "--input",
                kExamples + "/samples/debit_order_row.json", "--reverse"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).at("failed_at"), "2026-03-02T00:07:31Z");
}

TEST(MappingMapCommand, InputErrorsExitOneWithPathAndStep) {
  const std::string input = temp_file("bad_row.json", R"({"DO-ACCOUNT": "4000123456",
      "DO-AMOUNT-CENTS": 150000, "DO-CURRENCY": "ZAR", "DO-REFERENCE": "R1",
      "DO-DUE-DATE": "2026366", "DO-RETURN-TS": "20260230000731", "DO-RETURN-CODE": "77"})");
  auto r = map({"--mapping", kExamples + "/payment_failed.debit_order_row.json", "--input", input,
                "--reverse"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("step 6 (canonical /due_date), input /DO-DUE-DATE: invalid_julian_day"),
            std::string::npos)
      << r.err;
  EXPECT_NE(
      r.err.find("input /DO-RETURN-TS: invalid_date: '20260230000731': 2026-02 has no day 30"),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("unknown_code: unknown system code '77'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("failed on"), std::string::npos);
  EXPECT_TRUE(r.out.empty());
}

TEST(MappingMapCommand, BadMappingExitsTwoNamingFileStepAndPointer) {
  const std::string mapping = temp_file("bad_mapping.json", R"({"name": "x", "fields": [
      {"canonical": "/a", "system": "/A", "decimal": {"scale": 2, "rounding": "nearest"}}]})");
  const std::string input = temp_file("empty.json", "{}");
  auto r = map({"--mapping", mapping, "--input", input, "--no-schema-check"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("bad_mapping.json: step 0 (canonical /a <-> system /A) at "
                       "/fields/0/decimal/rounding: unknown rounding mode 'nearest'"),
            std::string::npos)
      << r.err;
}

TEST(MappingMapCommand, UsageErrorsExitTwo) {
  EXPECT_EQ(map({"--mapping", "x.json"}).code, 2);
  EXPECT_EQ(map({"--mapping", kExamples + "/payment_failed.debit_order_row.json", "--input",
                 "/nonexistent/input.json"})
                .code,
            2);
  const std::string not_json = temp_file("not_json.json", "{");
  EXPECT_EQ(
      map({"--mapping", kExamples + "/payment_failed.debit_order_row.json", "--input", not_json})
          .code,
      2);
  EXPECT_EQ(map({"--help"}).code, 0);
}

}  // namespace
}  // namespace coregate::cli
