#include "gateway/triggers/delivery_requests.h"

#include <charconv>

#include "gateway/intake/strict_json.h"

namespace coregate::triggers {
namespace {

std::optional<int64_t> decimal(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

LimitParse parse_pull_limit(const std::optional<std::string>& text) {
  LimitParse out;
  if (!text) return out;
  const auto value = decimal(*text);
  if (!value || *value < 1 || *value > static_cast<int64_t>(kMaxPullLimit)) {
    out.error = "limit must be an integer from 1 to " + std::to_string(kMaxPullLimit);
    return out;
  }
  out.limit = static_cast<size_t>(*value);
  return out;
}

AckParse parse_ack_body(std::string_view body) {
  AckParse out;
  auto parsed = intake::parse_strict_json(body, intake::StrictJsonLimits{8});
  if (!parsed.ok()) {
    out.error = "the body is not valid JSON: " + parsed.message;
    return out;
  }
  const auto* object = parsed.value.if_object();
  const auto* ids = object ? object->if_contains("ids") : nullptr;
  if (ids == nullptr || !ids->is_array() || object->size() != 1) {
    out.error = "expected {\"ids\": [\"<event id>\", ...]}";
    return out;
  }
  const auto& array = ids->as_array();
  if (array.empty() || array.size() > kMaxAckIds) {
    out.error = "ids must hold 1 to " + std::to_string(kMaxAckIds) + " event ids";
    return out;
  }
  out.ids.reserve(array.size());
  for (const auto& id : array) {
    if (!id.is_string() || id.as_string().empty()) {
      out.error = "every id must be a non-empty string";
      out.ids.clear();
      return out;
    }
    out.ids.emplace_back(id.as_string());
  }
  return out;
}

ResumeParse parse_resume(const std::optional<std::string>& last_event_id,
                         const std::optional<std::string>& after_param) {
  ResumeParse out;
  const auto& text = last_event_id ? last_event_id : after_param;
  if (!text) return out;
  const auto value = decimal(*text);
  if (!value) {
    out.error = std::string(last_event_id ? "Last-Event-ID" : "after") +
                " must be an event id this stream sent (a decimal sequence number)";
    return out;
  }
  out.after = *value;
  return out;
}

std::vector<std::string> parse_type_filter(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  size_t start = 0;
  while (start <= text->size()) {
    const size_t comma = text->find(',', start);
    const size_t end = comma == std::string::npos ? text->size() : comma;
    if (end > start) out.push_back(text->substr(start, end - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace coregate::triggers
