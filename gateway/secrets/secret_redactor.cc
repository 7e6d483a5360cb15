#include "gateway/secrets/secret_redactor.h"

#include <algorithm>

namespace coregate::secrets {

SecretRedactor& SecretRedactor::global() {
  static SecretRedactor instance;
  return instance;
}

void SecretRedactor::remember(std::string_view secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
  secrets_.emplace_back(secret);
  // Longest first, so a secret that contains another is replaced whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

bool SecretRedactor::empty() const {
  std::lock_guard lock(mutex_);
  return secrets_.empty();
}

std::string SecretRedactor::redact(std::string_view text) const {
  std::string out(text);
  std::lock_guard lock(mutex_);
  for (const std::string& secret : secrets_) {
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return out;
}

}  // namespace coregate::secrets
