#include "plugins/rest/json_pointer.h"

#include <boost/json/serialize.hpp>

namespace coregate::plugins::rest {

bool is_valid_pointer(std::string_view pointer) {
  if (pointer.empty()) return true;
  if (pointer.front() != '/') return false;
  for (size_t i = 0; i < pointer.size(); ++i) {
    if (pointer[i] == '~' &&
        (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1'))) {
      return false;
    }
  }
  return true;
}

const boost::json::value* find_at(const boost::json::value& document, std::string_view pointer) {
  if (!is_valid_pointer(pointer)) return nullptr;
  boost::system::error_code ec;
  const boost::json::value* found = document.find_pointer(pointer, ec);
  return ec ? nullptr : found;
}

std::optional<std::string> scalar_text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64() || v.is_uint64() || v.is_double() || v.is_bool()) {
    return boost::json::serialize(v);
  }
  return std::nullopt;
}

std::optional<std::string> scalar_text(const boost::json::value& document,
                                       std::string_view pointer) {
  const boost::json::value* v = find_at(document, pointer);
  if (v == nullptr) return std::nullopt;
  return scalar_text(*v);
}

}  // namespace coregate::plugins::rest
