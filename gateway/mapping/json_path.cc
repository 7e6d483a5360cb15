#include "gateway/mapping/json_path.h"

namespace coregate::mapping {

std::optional<JsonPath> JsonPath::parse(std::string_view pointer, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<JsonPath> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  if (pointer.empty()) return fail("a path must name a field, not the whole record (\"\")");
  if (pointer.front() != '/') {
    return fail("'" + std::string(pointer) + "' is not a JSON pointer: it must start with '/'");
  }
  JsonPath path;
  path.text_ = std::string(pointer);
  size_t i = 1;
  while (true) {
    std::string key;
    while (i < pointer.size() && pointer[i] != '/') {
      char ch = pointer[i];
      if (ch == '~') {
        if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
          return fail("'" + std::string(pointer) + "': '~' must be followed by 0 or 1");
        }
        key.push_back(pointer[i + 1] == '0' ? '~' : '/');
        i += 2;
        continue;
      }
      key.push_back(ch);
      ++i;
    }
    Segment segment{key, -1};
    if (!key.empty() && key.size() < 10 && (key == "0" || key.front() != '0')) {
      bool digits = true;
      for (char ch : key) digits = digits && ch >= '0' && ch <= '9';
      if (digits) segment.index = std::stol(key);
    }
    path.segments_.push_back(key);
    path.parsed_.push_back(std::move(segment));
    if (i >= pointer.size()) break;
    ++i;  // skip '/'
  }
  return path;
}

const boost::json::value* JsonPath::find(const boost::json::value& root) const {
  const boost::json::value* current = &root;
  for (const Segment& segment : parsed_) {
    if (const auto* object = current->if_object()) {
      auto it = object->find(segment.key);
      if (it == object->end()) return nullptr;
      current = &it->value();
    } else if (const auto* array = current->if_array()) {
      if (segment.index < 0 || static_cast<size_t>(segment.index) >= array->size()) return nullptr;
      current = &(*array)[static_cast<size_t>(segment.index)];
    } else {
      return nullptr;
    }
  }
  return current;
}

const boost::json::value* JsonPath::find(const boost::json::value& root,
                                         std::uint32_t* hints) const {
  const boost::json::value* current = &root;
  std::uint32_t* hint = hints + hint_offset_;
  for (const Segment& segment : parsed_) {
    if (const auto* object = current->if_object()) {
      const std::size_t guess = *hint;
      if (guess < object->size()) {
        const auto& member = object->begin()[guess];
        if (same_text(member.key(), segment.key)) {
          current = &member.value();
          ++hint;
          continue;
        }
      }
      auto it = object->find(segment.key);
      if (it == object->end()) return nullptr;
      *hint = static_cast<std::uint32_t>(it - object->begin());
      current = &it->value();
    } else if (const auto* array = current->if_array()) {
      if (segment.index < 0 || static_cast<size_t>(segment.index) >= array->size()) return nullptr;
      current = &(*array)[static_cast<size_t>(segment.index)];
    } else {
      return nullptr;
    }
    ++hint;
  }
  return current;
}

boost::json::object* JsonPath::parent_for_write(boost::json::object& root) const {
  boost::json::object* object = &root;
  for (size_t i = 0; i + 1 < parsed_.size(); ++i) {
    const std::string& key = parsed_[i].key;
    auto it = object->find(key);
    if (it == object->end()) {
      it = object->emplace(key, boost::json::object(root.storage())).first;
    }
    if (!it->value().is_object()) return nullptr;
    object = &it->value().get_object();
  }
  return object;
}

bool JsonPath::is_prefix_of(const JsonPath& other) const {
  if (segments_.size() > other.segments_.size()) return false;
  for (size_t i = 0; i < segments_.size(); ++i) {
    if (segments_[i] != other.segments_[i]) return false;
  }
  return true;
}

}  // namespace coregate::mapping
