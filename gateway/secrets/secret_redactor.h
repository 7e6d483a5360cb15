// Remembers every secret value the gateway resolved and removes them from text before it is
// logged or returned in an error. Thread-safe; values are never removed (a process lifetime is
// short compared with the cost of leaking a credential).
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::secrets {

class SecretRedactor {
 public:
  static SecretRedactor& global();

  // Values shorter than 4 bytes are not remembered: redacting "1" everywhere would destroy logs
  // and such a value is no secret worth the name.
  void remember(std::string_view secret);

  // `text` with every remembered value replaced by "***".
  std::string redact(std::string_view text) const;

  // Cheap test used on hot paths before paying for a copy.
  bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
};

inline constexpr std::string_view kRedacted = "***";

}  // namespace coregate::secrets
