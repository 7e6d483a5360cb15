#include "plugins/rest/classification.h"

#include <charconv>

#include <boost/json/parse.hpp>
#include <cctype>
#include <ctime>

#include "plugins/rest/json_pointer.h"

namespace coregate::plugins::rest {
namespace {

constexpr size_t kDiagnosticBodyLimit = 2048;

bool is_digits(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> header_value(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  // A hint over a week is a broken header: a number is ignored, a date is capped (the engine's own
  // age budget decides anyway).
  constexpr int64_t kMaxSeconds = 7 * 24 * 3600;
  value = trim(value);
  if (is_digits(value)) {
    int64_t seconds = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || seconds > kMaxSeconds) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // IMF-fixdate, the only date form a sender may generate (RFC 9110 §5.6.7).
  std::tm tm{};
  std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  // Compared in whole seconds: a date centuries away must not overflow a nanosecond clock.
  const int64_t at = static_cast<int64_t>(timegm(&tm));
  const int64_t now_s = static_cast<int64_t>(std::chrono::system_clock::to_time_t(now));
  if (at <= now_s) return std::chrono::milliseconds(0);
  return std::chrono::seconds(std::min(at - now_s, kMaxSeconds));
}

std::string describe_answer(const HttpAnswer& answer) {
  std::string out = "HTTP " + std::to_string(answer.status);
  if (answer.body.empty()) return out;
  out += ": ";
  if (answer.body.size() > kDiagnosticBodyLimit) {
    out += answer.body.substr(0, kDiagnosticBodyLimit) + "... (" +
           std::to_string(answer.body.size()) + " bytes)";
  } else {
    out += answer.body;
  }
  return out;
}

ReferenceLookup extract_reference(const HttpAnswer& answer, const ReferenceRule& rule,
                                  std::string_view idempotency_key) {
  ReferenceLookup r;
  auto location = header_value(answer.headers, "location");
  switch (rule.source) {
    case ReferenceRule::Source::kKey:
      r.reference = std::string(idempotency_key);
      return r;
    case ReferenceRule::Source::kHeader: {
      auto v = header_value(answer.headers, rule.header);
      if (v && !v->empty()) {
        r.reference = *v;
      } else {
        r.problem = "the answer has no " + rule.header + " header to take the reference from";
      }
      return r;
    }
    case ReferenceRule::Source::kJsonPointer:
    case ReferenceRule::Source::kAuto:
      break;
  }
  bool strict = rule.source == ReferenceRule::Source::kJsonPointer;
  if (!strict && location && !location->empty()) {
    r.reference = *location;
    return r;
  }
  std::string pointer = strict ? rule.pointer : "/id";
  if (answer.body_over_cap) {
    if (strict) {
      r.problem = "the answer's body exceeds the " + std::to_string(answer.cap) +
                  "-byte cap, so its reference " + pointer + " cannot be read";
    } else {
      r.reference = std::string(idempotency_key);
    }
    return r;
  }
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(answer.body, ec);
  if (ec) {
    if (strict) {
      r.problem = "the answer's body is not valid JSON (" + ec.message() + "), so its reference " +
                  pointer + " cannot be read";
    } else {
      r.reference = std::string(idempotency_key);
    }
    return r;
  }
  auto text = scalar_text(body, pointer);
  if (text && !text->empty()) {
    r.reference = *text;
  } else if (strict) {
    r.problem = "the answer's JSON body has no scalar value at " + pointer;
  } else {
    r.reference = std::string(idempotency_key);
  }
  return r;
}

sdk::WriteResult classify_answer(const HttpAnswer& answer, const ClassificationRules& rules,
                                 std::string_view idempotency_key,
                                 std::chrono::system_clock::time_point now) {
  const int status = answer.status;
  if (status >= 200 && status <= 299) {
    ReferenceLookup ref = extract_reference(answer, rules.reference, idempotency_key);
    if (ref.reference) return sdk::WriteResult::applied(*ref.reference);
    // The target says it applied the write, but its answer is unreadable: a proxy's error page,
    // a truncated body. Let the probe decide rather than trust it either way.
    return sdk::WriteResult::ambiguous("HTTP " + std::to_string(status) + " but " + ref.problem);
  }
  if (rules.already_applied.count(status) != 0) {
    ReferenceLookup ref = extract_reference(answer, rules.reference, idempotency_key);
    return sdk::WriteResult::already_applied(ref.reference.value_or(std::string(idempotency_key)),
                                             describe_answer(answer));
  }
  if (rules.retryable.count(status) != 0) {
    std::chrono::milliseconds wait{0};
    if (auto v = header_value(answer.headers, "retry-after")) {
      wait = parse_retry_after(*v, now).value_or(std::chrono::milliseconds(0));
    }
    return sdk::WriteResult::retryable(describe_answer(answer), wait);
  }
  if (status >= 500 && status <= 599 && status != 501 && status != 505) {
    if (rules.target_dedups_by_key) {
      return sdk::WriteResult::retryable(describe_answer(answer) +
                                         " (retryable: the target dedups by idempotency key)");
    }
    return sdk::WriteResult::ambiguous(describe_answer(answer));
  }
  return sdk::WriteResult::rejected(describe_answer(answer));
}

sdk::WriteResult classify_transport(TransportFailure failure, std::string_view detail,
                                    const ClassificationRules& rules) {
  if (failure == TransportFailure::kNotSent) {
    return sdk::WriteResult::retryable("not sent: " + std::string(detail));
  }
  if (rules.target_dedups_by_key) {
    return sdk::WriteResult::retryable("after sending: " + std::string(detail) +
                                       " (retryable: the target dedups by idempotency key)");
  }
  return sdk::WriteResult::ambiguous("after sending: " + std::string(detail));
}

}  // namespace coregate::plugins::rest
