// A JSON pointer (RFC 6901) parsed once at load, so run-time lookups never re-parse text.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::mapping {

// Byte equality of two texts, inlined for the short keys and codes records carry (a call to
// memcmp costs more than comparing 16 bytes here).
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n > 16) return std::memcmp(p, q, n) == 0;
  if (n >= 8) {  // two overlapping 8-byte words cover 8..16 bytes
    std::uint64_t p0, q0, p1, q1;
    std::memcpy(&p0, p, 8);
    std::memcpy(&q0, q, 8);
    std::memcpy(&p1, p + n - 8, 8);
    std::memcpy(&q1, q + n - 8, 8);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  if (n >= 4) {
    std::uint32_t p0, q0, p1, q1;
    std::memcpy(&p0, p, 4);
    std::memcpy(&q0, q, 4);
    std::memcpy(&p1, p + n - 4, 4);
    std::memcpy(&q1, q + n - 4, 4);
    return ((p0 ^ q0) | (p1 ^ q1)) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

class JsonPath {
 public:
  // Parses "/a/b~1c/0". Returns nullopt (and sets *error) for text that is not a pointer or that
  // names the whole document ("").
  static std::optional<JsonPath> parse(std::string_view pointer, std::string* error);

  // The value at this path, or nullptr. Object members by name; array elements by index.
  const boost::json::value* find(const boost::json::value& root) const;

  // The same, first trying the member positions remembered in hints[hint_offset() + i] (records
  // from one producer keep their key order, so a hit replaces a scan of the object with one
  // comparison). Updates the hints. `hints` must have hint_offset() + segments().size() entries.
  const boost::json::value* find(const boost::json::value& root, std::uint32_t* hints) const;
  void set_hint_offset(std::uint32_t offset) { hint_offset_ = offset; }
  std::uint32_t hint_offset() const { return hint_offset_; }

  // For an output path: its slot in the direction's output template (plan.h OutputTemplate).
  void set_output_slot(std::uint32_t slot) { output_slot_ = slot; }
  std::uint32_t output_slot() const { return output_slot_; }

  // Stores a value built from `arg` (anything boost::json::value constructs from: a string_view,
  // an integer, a const value&) at this path inside `root`, creating objects on the way and using
  // root's storage. Returns false when a member on the way exists and is not an object (the
  // compiler rules that out for its plans).
  template <typename T>
  bool assign(boost::json::object& root, T&& arg) const {
    boost::json::object* parent = parsed_.size() == 1 ? &root : parent_for_write(root);
    if (!parent) return false;
    parent->insert_or_assign(parsed_.back().key, std::forward<T>(arg));
    return true;
  }

  const std::string& text() const { return text_; }
  const std::vector<std::string>& segments() const { return segments_; }
  // True when this path equals `other` or is an ancestor of it ("/a" vs "/a/b").
  bool is_prefix_of(const JsonPath& other) const;

 private:
  boost::json::object* parent_for_write(boost::json::object& root) const;

  struct Segment {
    std::string key;
    long index = -1;  // the key read as an array index; -1 when it is not one
  };
  std::uint32_t hint_offset_ = 0;
  std::uint32_t output_slot_ = 0;
  std::string text_;
  std::vector<std::string> segments_;
  std::vector<Segment> parsed_;
};

}  // namespace coregate::mapping
