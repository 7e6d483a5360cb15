// Check against a COBOL copybook layout with the real copybook codec (sdk/codecs/copybook).
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>

#include "tests/unit/gateway/mapping/mapping_test_support.h"

namespace coregate::mapping {
namespace {

#ifdef COREGATE_MAPPING_WITH_COPYBOOK

using testing::all_errors;
using testing::load_error;
using testing::run;

class MappingLayoutCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coregate_layout_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "arrangement.cpy")
        << "       01  ARRANGEMENT-REC.\n"
           "           05  ARR-ACCOUNT    PIC X(12).\n"
           "           05  ARR-AMOUNT     PIC S9(5)V99 COMP-3.\n"
           "           05  ARR-COUNT      PIC 9(3).\n"
           "           05  ARR-DUE-DATE   PIC 9(8).\n"
           "           05  ARR-NOTE       PIC X(10).\n";
    options_.layout_directory = dir_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string mapping(const std::string& rules) {
    return R"({"name": "arr", "system": {"layout": {"copybook": "arrangement.cpy", "code_page": "cp037"}},
               "fields": )" +
           rules + "}";
  }

  std::filesystem::path dir_;
  CompileOptions options_;
};

TEST_F(MappingLayoutCheck, DerivesPrecisionAndScaleFromThePicture) {
  auto m = testing::compile_text(
      mapping(
          R"([{"canonical": "/amount", "system": "/ARR-AMOUNT", "decimal": {"rounding": "half_up"}}])"),
      options_);
  auto ok = run(*m, R"({"amount": "12345.675"})", Direction::to_system);
  ASSERT_TRUE(ok.ok) << all_errors(ok);
  EXPECT_EQ(ok.output.at("ARR-AMOUNT"), "12345.68");
  // PIC S9(5)V99 cannot hold 123456.78.
  auto overflow = run(*m, R"({"amount": "123456.78"})", Direction::to_system);
  ASSERT_FALSE(overflow.ok);
  EXPECT_EQ(overflow.errors.at(0).code, MapErrorCode::decimal_overflow);
}

TEST_F(MappingLayoutCheck, DecimalThatDisagreesWithThePicture) {
  std::string error = load_error(
      mapping(
          R"([{"canonical": "/amount", "system": "/ARR-AMOUNT", "decimal": {"precision": 9, "scale": 2}}])"),
      options_);
  EXPECT_NE(
      error.find("at /fields/0/decimal/precision: precision 9 exceeds ARRANGEMENT-REC.ARR-AMOUNT "
                 "PIC S9(5)V99 COMP-3 (7 digits)"),
      std::string::npos)
      << error;
  error = load_error(
      mapping(
          R"([{"canonical": "/amount", "system": "/ARR-AMOUNT", "decimal": {"precision": 7, "scale": 3}}])"),
      options_);
  EXPECT_NE(error.find("scale 3 does not match"), std::string::npos) << error;
  error = load_error(
      mapping(R"([{"canonical": "/n", "system": "/ARR-COUNT", "decimal": {"signed": true}}])"),
      options_);
  EXPECT_NE(error.find("has no sign"), std::string::npos) << error;
  error = load_error(mapping(R"([{"canonical": "/n", "system": "/ARR-NOTE", "decimal": {}}])"),
                     options_);
  EXPECT_NE(error.find("is not a numeric field"), std::string::npos) << error;
}

TEST_F(MappingLayoutCheck, UnknownFieldAndTooWideText) {
  std::string error =
      load_error(mapping(R"([{"canonical": "/a", "system": "/ARR-ACCT"}])"), options_);
  EXPECT_NE(
      error.find("step 0 (canonical /a <-> system /ARR-ACCT) at /fields/0/system: the copybook "
                 "layout"),
      std::string::npos)
      << error;
  EXPECT_NE(error.find("has no field 'ARR-ACCT'"), std::string::npos);
  error = load_error(
      mapping(R"([{"canonical": "/a", "system": "/ARR-NOTE", "text": {"width": 11}}])"), options_);
  EXPECT_NE(error.find("width 11 exceeds"), std::string::npos) << error;
  error = load_error(mapping(R"([{"canonical": "/d", "system": "/ARR-NOTE", "text": {"width": 10}},
                                 {"canonical": "/e", "system": "/ARR-COUNT", "date": {"system": "ccyymmdd"}}])"),
                     options_);
  EXPECT_NE(error.find("format ccyymmdd does not fit"), std::string::npos) << error;
  error = load_error(R"({"name": "x", "system": {"layout": {"copybook": "missing.cpy"}},
                         "fields": [{"canonical": "/a", "system": "/A"}]})",
                     options_);
  EXPECT_NE(error.find("cannot read copybook"), std::string::npos) << error;
}

TEST_F(MappingLayoutCheck, TextLengthAndCodePageAtRunTime) {
  auto m = testing::compile_text(mapping(R"([{"canonical": "/account", "system": "/ARR-ACCOUNT"},
                  {"canonical": "/due", "system": "/ARR-DUE-DATE", "date": {"system": "ccyymmdd", "system_as": "integer"}}])"),
                                 options_);
  auto ok = run(*m, R"({"account": "ACC-0001", "due": "2026-03-01"})", Direction::to_system);
  ASSERT_TRUE(ok.ok) << all_errors(ok);
  auto long_text =
      run(*m, R"({"account": "ACC-0001-0002-3", "due": "2026-03-01"})", Direction::to_system);
  ASSERT_FALSE(long_text.ok);
  EXPECT_EQ(long_text.errors.at(0).code, MapErrorCode::too_long);
  auto euro = run(*m, R"({"account": "€1", "due": "2026-03-01"})", Direction::to_system);
  ASSERT_FALSE(euro.ok);
  EXPECT_EQ(euro.errors.at(0).code, MapErrorCode::unrepresentable_character);
  EXPECT_NE(euro.errors.at(0).message.find("has no byte in code page cp037"), std::string::npos)
      << euro.errors.at(0).message;
}

#else
TEST(MappingLayoutCheck, NeedsTheCopybookCodec) {
  GTEST_SKIP() << "built without sdk/codecs/copybook";
}
#endif

}  // namespace
}  // namespace coregate::mapping
