// How a JSON value's kind reads in an error message ("a string", "an integer"), shared by the
// mapping compiler (load-time errors) and executor (run-time errors) so both say it the same way.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>

namespace coregate::mapping {

inline std::string_view json_kind_name(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "an integer";
    case boost::json::kind::double_:
      return "a floating-point number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "?";
}

}  // namespace coregate::mapping
