#include "plugins/rest/request_signing.h"

namespace coregate::plugins::rest {

std::string signing_canonical(const SigningRules& rules, const SigningInput& in) {
  std::string out;
  std::string_view t = rules.canonical;
  for (size_t i = 0; i < t.size(); ++i) {
    size_t close = t[i] == '{' ? t.find('}', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out.push_back(t[i]);
      continue;
    }
    std::string_view name = t.substr(i + 1, close - i - 1);
    if (name == "method") {
      out.append(in.method);
    } else if (name == "path") {
      out.append(in.path);
    } else if (name == "timestamp") {
      out.append(std::to_string(in.unix_seconds));
    } else if (name == "body") {
      out.append(in.body);
    } else if (name == "body_sha256") {
      out.append(to_hex(sha256(in.body)));
    } else if (name == "idempotency_key") {
      out.append(in.idempotency_key);
    } else {
      out.append(t.substr(i, close - i + 1));
    }
    i = close;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> sign_request(const SigningRules& rules,
                                                              const SigningInput& input) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string mac = hmac(rules.algorithm, rules.secret, signing_canonical(rules, input));
  headers.emplace_back(rules.signature_header, rules.prefix + encode(rules.encoding, mac));
  if (!rules.timestamp_header.empty()) {
    headers.emplace_back(rules.timestamp_header, std::to_string(input.unix_seconds));
  }
  return headers;
}

}  // namespace coregate::plugins::rest
