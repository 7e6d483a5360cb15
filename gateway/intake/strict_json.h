// Parses a request body as strict JSON (RFC 8259) and says precisely what is wrong when it is not:
// invalid UTF-8 (byte offset), syntax error / truncation (offset), nesting deeper than the limit,
// and DUPLICATE OBJECT KEYS — which Boost.JSON's own parser accepts silently (last one wins), and
// which an API must refuse: two readers of the same body could otherwise disagree on its meaning.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::intake {

struct StrictJsonLimits {
  size_t max_depth = 32;  // nested objects/arrays
};

enum class JsonDefect { kNone, kInvalidUtf8, kMalformed, kTruncated, kTooDeep, kDuplicateKey };

struct StrictJsonResult {
  boost::json::value value;  // valid when defect == kNone
  JsonDefect defect = JsonDefect::kNone;
  std::string message;  // human-readable, names the offset or pointer
  std::string pointer;  // kDuplicateKey: RFC 6901 pointer of the duplicated member
  size_t offset = 0;    // byte offset of the defect where known

  bool ok() const { return defect == JsonDefect::kNone; }
};

// Never throws for bad input (std::bad_alloc aside). Thread-safe (no shared state).
[[nodiscard]] StrictJsonResult parse_strict_json(std::string_view text,
                                                 const StrictJsonLimits& limits);

// Byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and > U+10FFFF count as
// invalid), or nullopt when `text` is valid UTF-8.
std::optional<size_t> find_invalid_utf8(std::string_view text);

}  // namespace coregate::intake
