#include "plugins/rest/webhook_signature.h"

#include <cctype>

namespace coregate::plugins::rest {
namespace {

constexpr size_t kMaxRemembered = 100000;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<std::string> header_of(const boost::json::object& headers, std::string_view name) {
  auto* v = headers.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<int64_t> parse_int(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

ParsedSignatureHeader parse_signature_header(std::string_view value,
                                             const WebhookSignatureRules& rules) {
  ParsedSignatureHeader parsed;
  if (!rules.signature_key.empty()) {
    // "t=1492774577,v1=5257a8...,v1=..." (Stripe): comma-separated key=value pairs.
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      std::string_view item = trim(value.substr(start, comma - start));
      size_t eq = item.find('=');
      if (eq != std::string_view::npos) {
        std::string_view key = trim(item.substr(0, eq));
        std::string_view val = trim(item.substr(eq + 1));
        if (key == rules.signature_key && !val.empty()) parsed.signatures.emplace_back(val);
        if (!rules.timestamp_key.empty() && key == rules.timestamp_key && !parsed.timestamp) {
          parsed.timestamp = std::string(val);
        }
      }
      start = comma + 1;
    }
    return parsed;
  }
  // One or more space-separated signatures, each with an optional prefix ("v1,abc v1,def").
  size_t start = 0;
  while (start < value.size()) {
    size_t space = value.find(' ', start);
    if (space == std::string_view::npos) space = value.size();
    std::string_view item = trim(value.substr(start, space - start));
    if (!rules.prefix.empty()) {
      if (item.substr(0, rules.prefix.size()) == rules.prefix) {
        item.remove_prefix(rules.prefix.size());
      } else {
        item = {};  // another scheme's signature ("v2,...") is not ours to check
      }
    }
    if (!item.empty()) parsed.signatures.emplace_back(item);
    start = space + 1;
  }
  return parsed;
}

std::optional<std::string> canonical_string(const WebhookSignatureRules& rules,
                                            std::string_view method, std::string_view target,
                                            const boost::json::object& headers,
                                            std::string_view timestamp, std::string_view body) {
  std::string out;
  std::string_view t = rules.canonical;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '{') {
      out.push_back(t[i]);
      continue;
    }
    size_t close = t.find('}', i);
    if (close == std::string_view::npos) {
      out.append(t.substr(i));
      break;
    }
    std::string_view name = t.substr(i + 1, close - i - 1);
    if (name == "body") {
      out.append(body);
    } else if (name == "timestamp") {
      out.append(timestamp);
    } else if (name == "method") {
      out.append(method);
    } else if (name == "target") {
      out.append(target);
    } else if (name.substr(0, 7) == "header:") {
      auto v = header_of(headers, name.substr(7));
      if (!v) return std::nullopt;
      out.append(*v);
    } else {
      out.append(t.substr(i, close - i + 1));
    }
    i = close;
  }
  return out;
}

bool WebhookVerifier::remember(const std::string& signature,
                               std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (seen_.size() >= kMaxRemembered) {
    std::erase_if(seen_, [&](const auto& entry) { return entry.second <= now; });
    // Still full inside the window: forget one rather than grow without bound.
    if (seen_.size() >= kMaxRemembered) seen_.erase(seen_.begin());
  }
  // Twice the tolerance covers timestamps anywhere inside [now - tolerance, now + tolerance].
  std::chrono::seconds window =
      rules_.tolerance.count() > 0 ? rules_.tolerance * 2 : std::chrono::hours(24);
  auto [it, inserted] = seen_.emplace(signature, now + window);
  if (!inserted && it->second <= now) {
    it->second = now + window;  // remembered once, but long expired: a fresh acceptance
    return true;
  }
  return inserted;
}

Verification WebhookVerifier::verify(std::string_view method, std::string_view target,
                                     const boost::json::object& headers, std::string_view body,
                                     std::chrono::system_clock::time_point now) {
  Verification v;
  auto header = header_of(headers, rules_.header);
  if (!header) {
    v.reason = "missing signature header " + rules_.header;
    return v;
  }
  ParsedSignatureHeader parsed = parse_signature_header(*header, rules_);
  if (parsed.signatures.empty()) {
    v.reason = "signature header " + rules_.header + " holds no signature";
    return v;
  }
  std::string timestamp;
  bool uses_timestamp = !rules_.timestamp_key.empty() || !rules_.timestamp_header.empty();
  if (uses_timestamp) {
    std::optional<std::string> ts = parsed.timestamp;
    if (!ts && !rules_.timestamp_header.empty()) ts = header_of(headers, rules_.timestamp_header);
    if (!ts) {
      v.reason = "missing signature timestamp";
      return v;
    }
    auto number = parse_int(*ts);
    if (!number) {
      v.reason = "signature timestamp is not an integer";
      return v;
    }
    int64_t now_units =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    if (!rules_.timestamp_in_ms) now_units /= 1000;
    int64_t tolerance = rules_.tolerance.count() * (rules_.timestamp_in_ms ? 1000 : 1);
    int64_t age = now_units - *number;
    if (age > tolerance || age < -tolerance) {
      v.reason = "signature timestamp is outside the " + std::to_string(rules_.tolerance.count()) +
                 " s tolerance (replayed or clock skew)";
      return v;
    }
    timestamp = std::string(trim(*ts));
  }
  auto canonical = canonical_string(rules_, method, target, headers, timestamp, body);
  if (!canonical) {
    v.reason = "a header named in the canonical string is missing";
    return v;
  }
  std::string expected = hmac(rules_.algorithm, rules_.secret, *canonical);
  for (const auto& candidate : parsed.signatures) {
    auto raw = decode(rules_.encoding, candidate);
    if (!raw || !equal_in_constant_time(*raw, expected)) continue;
    if (!remember(*raw, now)) {
      v.reason = "signature already used (replayed request)";
      return v;
    }
    v.ok = true;
    return v;
  }
  v.reason = "signature does not match";
  return v;
}

}  // namespace coregate::plugins::rest
