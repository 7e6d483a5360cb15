// Load-time errors: every one names the file, the step and the place in the mapping file, and a
// single load reports all of them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/unit/gateway/mapping/mapping_test_support.h"

namespace coregate::mapping {
namespace {

using testing::load_error;

std::string fields(const std::string& rules) {
  return R"({"name": "t", "fields": )" + rules + "}";
}

void expect_problem(const std::string& mapping, const std::string& expected) {
  const std::string error = load_error(mapping);
  EXPECT_NE(error.find(expected), std::string::npos) << "expected '" << expected << "' in:\n"
                                                     << error;
}

TEST(MappingLoadErrors, NameFileStepAndPointer) {
  expect_problem(fields(R"([{"canonical": "/a", "system": "/A"},
                            {"canonical": "/amount", "system": "/AMT", "decimal": {"precision": 5, "scale": 7}}])"),
                 "test.mapping.json: step 1 (canonical /amount <-> system /AMT) at "
                 "/fields/1/decimal/scale: scale 7 exceeds precision 5");
}

TEST(MappingLoadErrors, UnknownKeysWithSuggestions) {
  expect_problem(fields(R"([{"canonical": "/a", "sytem": "/A"}])"),
                 "at /fields/0/sytem: unknown key 'sytem' (did you mean 'system'?)");
  expect_problem(R"({"name": "t", "feilds": []})", "unknown key 'feilds' (did you mean 'fields'?)");
  expect_problem(fields(R"([{"canonical": "/a", "system": "/A", "decimal": {"scael": 2}}])"),
                 "/fields/0/decimal/scael: unknown key 'scael' (did you mean 'scale'?)");
}

TEST(MappingLoadErrors, EveryProblemInOnePass) {
  try {
    compile_mapping(boost::json::parse(fields(R"([
        {"canonical": "a", "system": "/A"},
        {"canonical": "/b", "system": "/B", "date": {"system": "julian"}},
        {"canonical": "/c", "system": "/C", "codes": {"table": {"x": "1", "y": "1"}}},
        {"canonical": "/d", "system": "/D", "decimal": {"rounding": "bankers"}}])")),
                    "multi.json");
    FAIL() << "compiled";
  } catch (const MappingLoadError& e) {
    ASSERT_EQ(e.problems().size(), 4u) << e.what();
    EXPECT_EQ(e.problems()[0].mapping_pointer, "/fields/0/canonical");
    EXPECT_EQ(e.problems()[1].step, 1);
    EXPECT_EQ(e.problems()[1].mapping_pointer, "/fields/1/date/system");
    EXPECT_EQ(e.problems()[2].step_target, "canonical /c <-> system /C");
    EXPECT_EQ(e.problems()[3].mapping_pointer, "/fields/3/decimal/rounding");
    for (const auto& p : e.problems()) EXPECT_EQ(p.file, "multi.json");
  }
}

TEST(MappingLoadErrors, StructuralMistakes) {
  expect_problem(R"({"fields": [{"canonical": "/a", "system": "/A"}]})",
                 "missing required key 'name'");
  expect_problem(R"({"name": "t", "fields": []})", "must be a non-empty array of field rules");
  expect_problem(R"([1])", "must be an object, not an array");
  expect_problem(fields(R"([{"canonical": "/a"}])"), "missing required key 'system'");
  expect_problem(fields(R"([{"canonical": "", "system": "/A"}])"), "must name a field");
  expect_problem(fields(R"([{"canonical": "/a~2", "system": "/A"}])"),
                 "'~' must be followed by 0 or 1");
  expect_problem(
      fields(
          R"([{"canonical": "/a", "system": "/A", "cast": {"canonical": "string", "system": "int"}}])"),
      "'int' is not one of: string, integer, boolean");
  expect_problem(fields(R"([{"canonical": "/a", "system": "/A", "date": {"system": "ccyymmdd"},
                             "codes": {"table": {"a": "b"}}}])"),
                 "a rule has one operation; found both 'date' and 'codes'");
  expect_problem(fields(R"([{"canonical": ["/a", "/b"], "system": "/A"}])"),
                 "only concat and split take a list of paths");
  expect_problem(
      fields(R"([{"canonical": ["/a", "/b"], "system": "/A", "concat": {"widths": [1]}}])"),
      "must be a list of 2 widths");
  expect_problem(fields(R"([{"canonical": "/a", "system": "/A", "constant": 1}])"),
                 "a constant names exactly one side");
  expect_problem(fields(R"([{"canonical": "/a", "system": "/A", "text": {"width": 0}}])"),
                 "/fields/0/text/width: must be between 1 and 32767, not 0");
  expect_problem(
      fields(R"([{"canonical": "/a", "system": "/A", "text": {"width": 3, "pad": "ab"}}])"),
      "must be one printable ASCII character");
}

TEST(MappingLoadErrors, SemanticMistakes) {
  expect_problem(fields(R"([{"canonical": "/a", "system": "/A", "date": {"system": "yyddd"}}])"),
                 "a two-digit-year format needs \"pivot_year\"");
  expect_problem(
      fields(
          R"([{"canonical": "/a", "system": "/A", "date": {"canonical": "iso_datetime", "system": "ccyymmdd"}}])"),
      "cannot convert between a date");
  expect_problem(
      fields(
          R"([{"canonical": "/a", "system": "/A", "decimal": {"scale": 2, "system": "integer"}}])"),
      "an integer system value has scale 0");
  expect_problem(
      fields(
          R"([{"canonical": "/a", "system": "/A", "codes": {"table": {"returned": "R", "reversed": "R"}}}])"),
      "system code \"R\" is used for both 'returned' and 'reversed'");
  // One direction only: the duplicate is fine.
  EXPECT_EQ(load_error(fields(R"([{"canonical": "/a", "system": "/A", "direction": "to_system",
                                   "codes": {"table": {"returned": "R", "reversed": "R"}}}])")),
            "");
  expect_problem(
      fields(
          R"([{"canonical": "/a", "system": "/A", "when": {"canonical": "/x", "exists": true}}])"),
      "a condition on the canonical record is only known when mapping to_system");
  expect_problem(
      fields(R"([{"canonical": "/a", "system": "/A"}, {"canonical": "/b", "system": "/A"}])"),
      "step 1 (canonical /b <-> system /A) at /fields/1: writes system /A, already written by step "
      "0");
  expect_problem(
      fields(R"([{"canonical": "/a", "system": "/A"}, {"canonical": "/b", "system": "/A/B"}])"),
      "overlaps system /A/B written by step 0");
  expect_problem(
      R"({"name": "t", "system": {"charset": "latin9"}, "fields": [{"canonical": "/a", "system": "/A"}]})",
      "/system/charset: unknown charset 'latin9'");
}

TEST(MappingLoadErrors, PlanTextIsCheckedAgainstTheCharset) {
  expect_problem(R"({"name": "t", "system": {"charset": "ebcdic"}, "fields": [
                     {"system": "/A", "constant": "Zoë"}]})",
                 "at /fields/0/constant: 'ë' (U+00EB) at character 3 is not in charset ebcdic");
  expect_problem(
      R"({"name": "t", "system": {"charset": "ebcdic"}, "fields": [
                     {"canonical": "/b", "system": "/B", "codes": {"table": {"x": "#1"}}}]})",
      "at /fields/0/codes/table/x: '#' (U+0023) at character 1 is not in charset ebcdic");
  expect_problem(R"({"name": "t", "system": {"charset": "ebcdic"}, "fields": [
                     {"canonical": "/c", "system": "/C", "text": {"width": 3, "pad": "!"}}]})",
                 "at /fields/0/text/pad: '!' (U+0021)");
  expect_problem(R"({"name": "t", "system": {"charset": "ascii"}, "fields": [
                     {"canonical": "/c", "system": "/C", "default": {"system": "é"}}]})",
                 "at /fields/0/default/system");
}

TEST(MappingLoadErrors, FilesThatAreNotMappings) {
  const auto dir = std::filesystem::temp_directory_path() / "coregate_mapping_load_errors";
  std::filesystem::create_directories(dir);
  const auto broken = dir / "broken.json";
  std::ofstream(broken) << R"({"name": "x", "fields": [)";
  try {
    load_mapping(broken);
    FAIL();
  } catch (const MappingLoadError& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json: not valid JSON"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(load_mapping(dir / "absent.json"), MappingLoadError);
  std::filesystem::remove_all(dir);
}

TEST(MappingLoadErrors, CanonicalSchemaWithoutRegistryIsRefusedUnlessAllowed) {
  const std::string mapping =
      R"({"name": "t", "canonical": {"schema": "outcomes/x.json"}, "fields": [{"canonical": "/a", "system": "/A"}]})";
  EXPECT_NE(load_error(mapping).find("/canonical/schema"), std::string::npos);
  CompileOptions relaxed;
  relaxed.allow_unchecked_schema = true;
  EXPECT_EQ(load_error(mapping, relaxed), "");
}

}  // namespace
}  // namespace coregate::mapping
