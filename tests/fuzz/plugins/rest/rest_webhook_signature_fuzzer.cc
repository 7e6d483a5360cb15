// Webhook signature header parsing and verification on arbitrary headers and bodies: the first
// line is the signature header, the second the timestamp header, the rest the body.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "plugins/rest/webhook_signature.h"

using namespace coregate::plugins::rest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t a = text.find('\n');
  size_t b = a == std::string::npos ? std::string::npos : text.find('\n', a + 1);
  std::string sig = text.substr(0, a);
  std::string ts = a == std::string::npos
                       ? ""
                       : text.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  std::string body = b == std::string::npos ? "" : text.substr(b + 1);
  WebhookSignatureRules rules;
  rules.header = "x-sig";
  rules.secret = "secret";
  rules.encoding = (data[0] & 1) ? DigestEncoding::kBase64 : DigestEncoding::kHex;
  if (data[0] & 2) {
    rules.signature_key = "v1";
    rules.timestamp_key = "t";
    rules.canonical = "{timestamp}.{body}";
  } else {
    rules.prefix = (data[0] & 4) ? "v1," : "sha256=";
    rules.timestamp_header = (data[0] & 8) ? "x-ts" : "";
    rules.canonical = "{header:x-id}.{timestamp}.{method}.{target}.{body}";
  }
  rules.timestamp_in_ms = (data[0] & 16) != 0;
  (void)parse_signature_header(sig, rules);
  WebhookVerifier verifier(rules);
  boost::json::object headers{{"x-sig", sig}, {"x-ts", ts}, {"x-id", ts}};
  auto v = verifier.verify("POST", "/", headers, body, std::chrono::system_clock::now());
  (void)v;
  return 0;
}
