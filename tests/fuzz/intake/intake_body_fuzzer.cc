// Feeds arbitrary bytes through what POST /v1/outcomes does before the store: the Idempotency-Key
// parser (first line of the input), the strict JSON parser (the rest), the schema check and the
// canonical fingerprint. Any crash, sanitizer report or broken invariant is a bug.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "gateway/intake/canonical_json.h"
#include "gateway/intake/idempotency_key.h"
#include "gateway/intake/outcome_validator.h"
#include "gateway/intake/strict_json.h"

namespace {

const coregate::intake::OutcomeValidator& validator() {
  static const coregate::intake::OutcomeValidator instance(std::string(COREGATE_SOURCE_DIR) +
                                                           "/tests/integration/intake/schemas");
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace coregate::intake;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view header =
      newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? input : input.substr(newline + 1);

  const auto key = parse_idempotency_key(header, newline != std::string_view::npos);
  if (key.defect == KeyDefect::kNone &&
      (key.value.empty() || key.value.size() > kMaxIdempotencyKeyLength))
    abort();

  const auto parsed = parse_strict_json(body, StrictJsonLimits{32});
  if (!parsed.ok()) {
    if (parsed.message.empty()) abort();
    return 0;
  }
  if (find_invalid_utf8(body)) abort();  // the parser accepted invalid UTF-8
  const auto check = validator().check(parsed.value);
  if (check.verdict == BodyVerdict::kInvalid && check.errors.empty()) abort();
  // The fingerprint is a pure function of the value.
  if (fingerprint_of(parsed.value) != fingerprint_of(parsed.value)) abort();
  return 0;
}
