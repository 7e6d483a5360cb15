// JSON equality as JSON Schema defines it for enum/const: numbers compare by value (1 == 1.0),
// objects ignore member order, everything else compares structurally.
#pragma once

#include <boost/json/value.hpp>

namespace coregate::schema::detail {

[[nodiscard]] bool json_equal(const boost::json::value& a, const boost::json::value& b);

}  // namespace coregate::schema::detail
