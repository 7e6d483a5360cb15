// Number comparisons and multipleOf without the surprises of binary floating point: integers are
// compared exactly across int64/uint64/double, and multipleOf works on the shortest decimal form
// of each number (0.0075 is a multiple of 0.0001), falling back to floating point only when a
// value has no exact decimal form within range.
#pragma once

#include <boost/json/value.hpp>

namespace coregate::schema::detail {

// Both must be numbers. Returns <0, 0, >0.
[[nodiscard]] int compare_numbers(const boost::json::value& a, const boost::json::value& b);

// True for int64/uint64 and for doubles with no fractional part.
[[nodiscard]] bool is_integral_number(const boost::json::value& v);

// divisor must be a number > 0.
[[nodiscard]] bool is_multiple_of(const boost::json::value& instance,
                                  const boost::json::value& divisor);

}  // namespace coregate::schema::detail
