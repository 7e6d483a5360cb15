#include "gateway/intake/strict_json.h"

#include "gateway/schema/json_pointer.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/value_stack.hpp>
#include <unordered_set>
#include <vector>

namespace coregate::intake {
namespace {

// Builds the value like boost::json::parser does (through a value_stack) and additionally keeps,
// per open object, the keys seen so far and, per open container, the path used in messages.
class Builder {
 public:
  static constexpr size_t max_object_size = static_cast<size_t>(-1);
  static constexpr size_t max_array_size = static_cast<size_t>(-1);
  static constexpr size_t max_key_size = static_cast<size_t>(-1);
  static constexpr size_t max_string_size = static_cast<size_t>(-1);

  Builder() = default;

  boost::json::value_stack stack;
  struct Level {
    bool is_object = false;
    size_t next_index = 0;                 // arrays: index of the next element
    std::unordered_set<std::string> keys;  // objects
    std::string last_key;                  // objects: key of the member being parsed
  };
  std::vector<Level> levels;
  std::string key;  // accumulates key parts
  std::string duplicate_pointer;

  std::string pointer_of_current(std::string_view leaf) const {
    std::string pointer;
    for (size_t i = 0; i < levels.size(); ++i) {
      const Level& level = levels[i];
      const bool innermost = i + 1 == levels.size();
      if (innermost) break;
      if (level.is_object) {
        schema::detail::append_pointer_token(pointer, level.last_key);
      } else {
        schema::detail::append_pointer_token(pointer, std::to_string(level.next_index));
      }
    }
    schema::detail::append_pointer_token(pointer, leaf);
    return pointer;
  }

  void value_done() {
    if (!levels.empty() && !levels.back().is_object) ++levels.back().next_index;
  }

  bool on_document_begin(boost::system::error_code&) {
    stack.reset();
    return true;
  }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code&) {
    levels.push_back(Level{false, 0, {}, {}});
    return true;
  }
  bool on_array_end(size_t n, boost::system::error_code&) {
    levels.pop_back();
    stack.push_array(n);
    value_done();
    return true;
  }
  bool on_object_begin(boost::system::error_code&) {
    levels.push_back(Level{true, 0, {}, {}});
    return true;
  }
  bool on_object_end(size_t n, boost::system::error_code&) {
    levels.pop_back();
    stack.push_object(n);
    value_done();
    return true;
  }
  bool on_string_part(boost::json::string_view s, size_t, boost::system::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, size_t, boost::system::error_code&) {
    stack.push_string(s);
    value_done();
    return true;
  }
  bool on_key_part(boost::json::string_view s, size_t, boost::system::error_code&) {
    key.append(s.data(), s.size());
    stack.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, size_t, boost::system::error_code& ec) {
    key.append(s.data(), s.size());
    stack.push_key(s);
    Level& level = levels.back();
    if (!level.keys.insert(key).second) {
      duplicate_pointer = pointer_of_current(key);
      ec = boost::json::error::test_failure;  // any code: stops the parse; we report our own
      key.clear();
      return false;
    }
    level.last_key = std::move(key);
    key.clear();
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(int64_t i, boost::json::string_view, boost::system::error_code&) {
    stack.push_int64(i);
    value_done();
    return true;
  }
  bool on_uint64(uint64_t u, boost::json::string_view, boost::system::error_code&) {
    stack.push_uint64(u);
    value_done();
    return true;
  }
  bool on_double(double d, boost::json::string_view, boost::system::error_code&) {
    stack.push_double(d);
    value_done();
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    stack.push_bool(b);
    value_done();
    return true;
  }
  bool on_null(boost::system::error_code&) {
    stack.push_null();
    value_done();
    return true;
  }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }
};

}  // namespace

std::optional<size_t> find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07;
    } else {
      return i;  // continuation byte without a lead, C0/C1 overlong leads, F5..FF
    }
    if (i + length > size) return i;
    for (size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      code = (code << 6) | (bytes[i + k] & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return i;
    }
    i += length;
  }
  return std::nullopt;
}

StrictJsonResult parse_strict_json(std::string_view text, const StrictJsonLimits& limits) {
  StrictJsonResult result;
  if (auto bad = find_invalid_utf8(text)) {
    result.defect = JsonDefect::kInvalidUtf8;
    result.offset = *bad;
    result.message =
        "The body is not valid UTF-8 (first bad byte at offset " + std::to_string(*bad) + ").";
    return result;
  }
  boost::json::parse_options options;
  options.max_depth = limits.max_depth;
  boost::json::basic_parser<Builder> parser(options);
  boost::system::error_code ec;
  const size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = boost::json::error::extra_data;
  if (ec) {
    result.offset = used;
    if (!parser.handler().duplicate_pointer.empty()) {
      result.defect = JsonDefect::kDuplicateKey;
      result.pointer = parser.handler().duplicate_pointer;
      result.message = "The body has a duplicate object key at " + result.pointer +
                       "; each member name may appear once per object.";
    } else if (ec == boost::json::error::too_deep) {
      result.defect = JsonDefect::kTooDeep;
      result.message = "The body nests objects/arrays deeper than " +
                       std::to_string(limits.max_depth) + " levels (at offset " +
                       std::to_string(used) + ").";
    } else if (ec == boost::json::error::incomplete) {
      result.defect = JsonDefect::kTruncated;
      result.message = "The body is truncated JSON: it ends after " + std::to_string(text.size()) +
                       " bytes in the middle of a value.";
    } else {
      result.defect = JsonDefect::kMalformed;
      result.message = "The body is not valid JSON: " + ec.message() + " at offset " +
                       std::to_string(used) + ".";
    }
    return result;
  }
  result.value = parser.handler().stack.release();
  return result;
}

}  // namespace coregate::intake
