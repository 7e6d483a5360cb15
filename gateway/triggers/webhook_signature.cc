#include "gateway/triggers/webhook_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace coregate::triggers {

std::string hmac_sha256_hex(std::string_view secret, std::string_view message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string webhook_signature(std::string_view secret, int64_t unix_seconds,
                              std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  std::string message;
  message.reserve(t.size() + 1 + body.size());
  message += t;
  message += '.';
  message += body;
  return "t=" + t + ",v1=" + hmac_sha256_hex(secret, message);
}

}  // namespace coregate::triggers
