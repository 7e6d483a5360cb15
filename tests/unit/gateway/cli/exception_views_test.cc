// The exception views on awkward input: missing and null fields, control characters from a
// system's error text, long multi-byte errors cut on a character boundary.
#include "gateway/cli/exception_views.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sstream>

namespace coregate::cli {
namespace {

namespace json = boost::json;

TEST(FieldText, MissingNullEmptyAndNonStrings) {
  const auto o =
      json::parse(R"({"a": null, "b": "", "c": 3, "d": true, "e": "x\u001b[2Jy"})").as_object();
  EXPECT_EQ(field_text(o, "missing"), "-");
  EXPECT_EQ(field_text(o, "a"), "-");
  EXPECT_EQ(field_text(o, "b"), "-");
  EXPECT_EQ(field_text(o, "c"), "3");
  EXPECT_EQ(field_text(o, "d"), "true");
  EXPECT_EQ(field_text(o, "e"), "x [2Jy");  // no escape reaches the terminal
}

TEST(ExceptionTable, EmptySaysSo) {
  std::ostringstream out;
  print_exception_table(json::array{}, out);
  EXPECT_EQ(out.str(), "no exceptions\n");
}

TEST(ExceptionTable, LongMultiByteErrorsAreCutOnACharacterBoundary) {
  std::string error;
  for (int i = 0; i < 100; ++i) error += "é";  // 2 bytes each
  json::array items{json::object{{"id", "e1"}, {"last_error", error}}, json::string("junk")};
  std::ostringstream out;
  print_exception_table(items, out);
  const std::string text = out.str();
  const auto row = text.substr(text.find('\n') + 1);
  const auto cell = row.substr(row.find("é"));
  std::string expected;
  for (std::size_t i = 0; i < kLastErrorCellWidth - 3; ++i) expected += "é";
  expected += "...\n";
  ASSERT_GE(cell.size(), expected.size()) << text;
  EXPECT_EQ(cell.substr(0, expected.size()), expected) << text;
  // A non-object item still gets a row, of dashes.
  EXPECT_EQ(cell.substr(expected.size(), 3), "-  ") << text;
}

TEST(ExceptionDetail, ToleratesAnAlmostEmptyObject) {
  std::ostringstream out;
  print_exception_detail(json::parse(R"({"id": "e1", "mapped_request": null})").as_object(), out);
  EXPECT_NE(out.str().find("exception   e1\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("mapped request:\n  (none)\n"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("resolution"), std::string::npos);
}

}  // namespace
}  // namespace coregate::cli
