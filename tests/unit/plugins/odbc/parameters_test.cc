// Parameter checks that refuse bad values before the database is touched.
#include "plugins/odbc/parameters.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace coregate::plugins::odbc {
namespace {

ParamSpec spec(ParamType type, int64_t max_length = 0, bool nullable = true) {
  return ParamSpec{"amount", "amount_col", type, max_length, nullable};
}

Checked check(const ParamSpec& s, const boost::json::value& v) {
  return check_param(s, &v);
}

TEST(OdbcParameters, DecimalsArriveAsTextNeverAsBinaryFloatingPoint) {
  auto ok = check(spec(ParamType::kDecimal), boost::json::value("10.50"));
  ASSERT_TRUE(ok.value);
  EXPECT_EQ(*ok.value->text, "10.50");
  EXPECT_TRUE(
      check(spec(ParamType::kDecimal), boost::json::value(7)).value);  // JSON integer: exact
  for (const auto& bad :
       {boost::json::value(10.5), boost::json::value("1e3"), boost::json::value("ten"),
        boost::json::value("1.2.3"), boost::json::value("."), boost::json::value(""),
        boost::json::value("1,50"), boost::json::value(" 1")}) {
    auto r = check(spec(ParamType::kDecimal), bad);
    EXPECT_FALSE(r.value) << boost::json::serialize(bad);
    EXPECT_NE(r.error.find("parameter 'amount' (column 'amount_col')"), std::string::npos)
        << r.error;
  }
}

TEST(OdbcParameters, IntegersBooleansDatesTimestamps) {
  EXPECT_TRUE(check(spec(ParamType::kInteger), boost::json::value("-42")).value);
  EXPECT_FALSE(check(spec(ParamType::kInteger), boost::json::value("42.0")).value);
  EXPECT_FALSE(check(spec(ParamType::kInteger), boost::json::value("99999999999999999999")).value);
  EXPECT_FALSE(check(spec(ParamType::kInteger), boost::json::value(true)).value);
  auto b = check(spec(ParamType::kBoolean), boost::json::value(true));
  ASSERT_TRUE(b.value);
  EXPECT_EQ(*b.value->text, "1");
  EXPECT_FALSE(check(spec(ParamType::kBoolean), boost::json::value("yes")).value);
  EXPECT_TRUE(check(spec(ParamType::kDate), boost::json::value("2024-02-29")).value);
  EXPECT_FALSE(check(spec(ParamType::kDate), boost::json::value("2024-13-01")).value);
  EXPECT_FALSE(check(spec(ParamType::kDate), boost::json::value("29/02/2024")).value);
  EXPECT_TRUE(check(spec(ParamType::kTimestamp), boost::json::value("2024-01-01 10:00:00")).value);
  EXPECT_TRUE(
      check(spec(ParamType::kTimestamp), boost::json::value("2024-01-01T10:00:00.123")).value);
  EXPECT_FALSE(check(spec(ParamType::kTimestamp), boost::json::value("2024-01-01 10:00")).value);
}

TEST(OdbcParameters, StringsLengthNullsAndShapes) {
  // Length counts code points, not bytes: five emoji fit a five-character column.
  EXPECT_TRUE(check(spec(ParamType::kString, 5), boost::json::value("💸💸💸💸💸")).value);
  auto too_long = check(spec(ParamType::kString, 5), boost::json::value("abcdef"));
  EXPECT_FALSE(too_long.value);
  EXPECT_NE(too_long.error.find("longer than the column's 5"), std::string::npos);
  EXPECT_FALSE(check(spec(ParamType::kString), boost::json::value(5)).value);
  EXPECT_FALSE(check(spec(ParamType::kString), boost::json::object{{"a", 1}}).value);
  // SQL text is just data here.
  auto injection = check(spec(ParamType::kString), boost::json::value("'; DROP TABLE t; --"));
  ASSERT_TRUE(injection.value);
  EXPECT_EQ(*injection.value->text, "'; DROP TABLE t; --");
  // Null and missing.
  auto null_ok = check_param(spec(ParamType::kString), nullptr);
  ASSERT_TRUE(null_ok.value);
  EXPECT_FALSE(null_ok.value->text);
  EXPECT_FALSE(check_param(spec(ParamType::kString, 0, false), nullptr).value);
  EXPECT_FALSE(check(spec(ParamType::kString, 0, false), boost::json::value(nullptr)).value);
  EXPECT_EQ(code_points("Zoë 顧客 💸"), 8u);
}

TEST(OdbcParameters, TypeNamesRoundTrip) {
  for (auto t : {ParamType::kString, ParamType::kInteger, ParamType::kDecimal, ParamType::kBoolean,
                 ParamType::kDate, ParamType::kTimestamp}) {
    EXPECT_EQ(param_type_from(param_type_name(t)), t);
  }
  EXPECT_EQ(param_type_from("float"), std::nullopt);
}

}  // namespace
}  // namespace coregate::plugins::odbc
