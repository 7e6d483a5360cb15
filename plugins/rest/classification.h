// Pure classification of an HTTP answer (or a transport failure) into the five write classes of
// DESIGN §3, and the system reference of an applied write. No I/O, so every rule is unit-tested
// and fuzzed alone. The table it implements is in docs/plugins/rest.md ("Classification"):
//
//   2xx                                  APPLIED (reference from a JSON pointer or a header)
//   2xx whose reference cannot be read   AMBIGUOUS (invalid JSON, body over the cap, no value)
//   configured "already applied" status  ALREADY_APPLIED (default 409)
//   408 429 502 503 504 (configurable)   RETRYABLE, honouring Retry-After
//   connect / TLS failure (not sent)     RETRYABLE
//   500 and other 5xx                    AMBIGUOUS, or RETRYABLE when the target dedups by key
//   timeout / reset after sending        AMBIGUOUS, or RETRYABLE when the target dedups by key
//   501, 505, other 4xx, 1xx, 3xx        REJECTED with the body
//
// Thread-safety: stateless functions.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <coregate/sdk/results.h>

namespace coregate::plugins::rest {

// Header names are lower-case; a header sent twice appears twice.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The first value of header `name` (lower-case), if any.
std::optional<std::string> header_value(const HeaderList& headers, std::string_view name);

// What came back from the target.
struct HttpAnswer {
  int status = 0;
  HeaderList headers;
  std::string body;            // at most the configured cap
  bool body_over_cap = false;  // the body was longer than the cap (and was cut)
  size_t cap = 0;              // the cap, for the diagnostic
};

// Where an applied write's reference comes from.
struct ReferenceRule {
  enum class Source {
    kAuto,         // Location header, else the body's "/id", else the idempotency key
    kJsonPointer,  // a value in the JSON body; missing = the answer cannot be trusted
    kHeader,       // a response header (usually "location"); missing = cannot be trusted
    kKey,          // the idempotency key itself (targets that answer 204)
  };
  Source source = Source::kAuto;
  std::string pointer;  // kJsonPointer
  std::string header;   // kHeader, lower-case
};

struct ClassificationRules {
  std::set<int> already_applied{409};
  std::set<int> retryable{408, 429, 502, 503, 504};
  bool target_dedups_by_key = false;  // an ambiguous answer is then safe to retry
  ReferenceRule reference;
};

// The reference of a 2xx answer, or why it cannot be read.
struct [[nodiscard]] ReferenceLookup {
  std::optional<std::string> reference;
  std::string problem;
};
ReferenceLookup extract_reference(const HttpAnswer& answer, const ReferenceRule& rule,
                                  std::string_view idempotency_key);

// The write class of an HTTP answer. `now` converts an HTTP-date Retry-After into a delay.
sdk::WriteResult classify_answer(const HttpAnswer& answer, const ClassificationRules& rules,
                                 std::string_view idempotency_key,
                                 std::chrono::system_clock::time_point now);

enum class TransportFailure {
  kNotSent,    // DNS, connect refused or timed out, TLS handshake or certificate failure
  kAfterSend,  // the request (or part of it) went out, then a timeout, reset or EOF
};
sdk::WriteResult classify_transport(TransportFailure failure, std::string_view detail,
                                    const ClassificationRules& rules);

// Retry-After as delta-seconds ("120") or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
// nullopt for anything else; a date in the past is zero.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// "HTTP 422 Unprocessable: <body, cut at 2 KiB>" for diagnostics.
std::string describe_answer(const HttpAnswer& answer);

}  // namespace coregate::plugins::rest
