// Parsers for the outside input of the delivery endpoints: the pull limit, the ack body, the SSE
// resume position (Last-Event-ID or ?after=) and a type filter. They never throw; an error text
// becomes the detail of a 400 problem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::triggers {

inline constexpr size_t kDefaultPullLimit = 100;
inline constexpr size_t kMaxPullLimit = 5000;
inline constexpr size_t kMaxAckIds = 10000;

struct [[nodiscard]] LimitParse {
  size_t limit = kDefaultPullLimit;
  std::string error;
};
// `text` absent: the default. Else a decimal integer from 1 to kMaxPullLimit.
LimitParse parse_pull_limit(const std::optional<std::string>& text);

struct [[nodiscard]] AckParse {
  std::vector<std::string> ids;
  std::string error;
};
// {"ids": ["<event id>", ...]}: 1 to kMaxAckIds non-empty strings; duplicate keys refused.
AckParse parse_ack_body(std::string_view body);

struct [[nodiscard]] ResumeParse {
  std::optional<int64_t> after;  // none: start at the end of the log (new events only)
  std::string error;
};
// Last-Event-ID (a seq this stream sent) wins over ?after=; both are decimal, >= 0.
ResumeParse parse_resume(const std::optional<std::string>& last_event_id,
                         const std::optional<std::string>& after_param);

// "a,b,c" -> {"a","b","c"}; empty items dropped.
std::vector<std::string> parse_type_filter(const std::optional<std::string>& text);

}  // namespace coregate::triggers
