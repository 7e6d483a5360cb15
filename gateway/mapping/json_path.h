// A JSON pointer (RFC 6901) parsed once at load, so run-time lookups never re-parse text.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::mapping {

class JsonPath {
 public:
  // Parses "/a/b~1c/0". Returns nullopt (and sets *error) for text that is not a pointer or that
  // names the whole document ("").
  static std::optional<JsonPath> parse(std::string_view pointer, std::string* error);

  // The value at this path, or nullptr. Object members by name; array elements by index.
  const boost::json::value* find(const boost::json::value& root) const;

  // Stores `value` at this path inside `root`, creating objects on the way. Returns false when a
  // member on the way exists and is not an object (the compiler rules that out for its plans).
  bool assign(boost::json::object& root, boost::json::value&& value) const;

  const std::string& text() const { return text_; }
  const std::vector<std::string>& segments() const { return segments_; }
  // True when this path equals `other` or is an ancestor of it ("/a" vs "/a/b").
  bool is_prefix_of(const JsonPath& other) const;

 private:
  struct Segment {
    std::string key;
    long index = -1;  // the key read as an array index; -1 when it is not one
  };
  std::string text_;
  std::vector<std::string> segments_;
  std::vector<Segment> parsed_;
};

}  // namespace coregate::mapping
