#include "gateway/schema/decimal_number.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace coregate::schema::detail {
namespace {

boost::json::value num(const char* text) {
  return boost::json::parse(text);
}

TEST(SchemaDecimalNumber, MultipleOfIsExactOnDecimals) {
  // Each of these is wrong with a naive fmod on doubles.
  EXPECT_TRUE(is_multiple_of(num("0.0075"), num("0.0001")));
  EXPECT_TRUE(is_multiple_of(num("19.99"), num("0.01")));
  EXPECT_TRUE(is_multiple_of(num("4.35"), num("0.05")));
  EXPECT_TRUE(is_multiple_of(num("0.3"), num("0.1")));
  EXPECT_FALSE(is_multiple_of(num("0.00751"), num("0.0001")));
  EXPECT_FALSE(is_multiple_of(num("19.999"), num("0.01")));
  EXPECT_TRUE(is_multiple_of(num("-12"), num("3")));
  EXPECT_FALSE(is_multiple_of(num("7"), num("2")));
  EXPECT_TRUE(is_multiple_of(num("1e300"), num("1e-300")));
  EXPECT_TRUE(is_multiple_of(num("0"), num("0.7")));
  EXPECT_TRUE(is_multiple_of(num("18446744073709551615"), num("5")));
  EXPECT_FALSE(is_multiple_of(num("18446744073709551615"), num("2")));
}

TEST(SchemaDecimalNumber, ComparesAcrossRepresentations) {
  EXPECT_EQ(compare_numbers(num("1"), num("1.0")), 0);
  EXPECT_LT(compare_numbers(num("-1"), num("18446744073709551615")), 0);
  EXPECT_GT(compare_numbers(num("9007199254740993"), num("9007199254740992.0")), 0);
  EXPECT_LT(compare_numbers(num("2.5"), num("3")), 0);
}

TEST(SchemaDecimalNumber, IntegralNumbers) {
  EXPECT_TRUE(is_integral_number(num("1.0")));
  EXPECT_TRUE(is_integral_number(num("-7")));
  EXPECT_FALSE(is_integral_number(num("1.5")));
  EXPECT_FALSE(is_integral_number(num("\"1\"")));
}

}  // namespace
}  // namespace coregate::schema::detail
