#include "gateway/cli/pretty_json.h"

#include <boost/json/serialize.hpp>

#include <string>

namespace coregate::cli {

namespace json = boost::json;

void print_pretty_json(std::ostream& out, const json::value& value, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  if (const auto* object = value.if_object()) {
    if (object->empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    bool first = true;
    for (const auto& member : *object) {
      if (!first) out << ",\n";
      first = false;
      out << pad << "  " << json::serialize(json::string(member.key())) << ": ";
      print_pretty_json(out, member.value(), indent + 1);
    }
    out << "\n" << pad << "}";
  } else if (const auto* array = value.if_array()) {
    if (array->empty()) {
      out << "[]";
      return;
    }
    out << "[\n";
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (i) out << ",\n";
      out << pad << "  ";
      print_pretty_json(out, (*array)[i], indent + 1);
    }
    out << "\n" << pad << "]";
  } else {
    out << json::serialize(value);
  }
}

}  // namespace coregate::cli
