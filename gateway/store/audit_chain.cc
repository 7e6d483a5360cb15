#include "gateway/store/audit_chain.h"

#include <openssl/evp.h>

#include <memory>

namespace coregate::store {

const std::string& audit_genesis_hash() {
  static const std::string genesis(64, '0');
  return genesis;
}

std::string audit_record_hash(std::string_view prev_hash, int64_t seq, int64_t at_ms,
                              std::string_view principal, std::string_view action,
                              std::string_view object_id, std::string_view detail) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  auto feed = [&](std::string_view part, bool last = false) {
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
    if (!last) EVP_DigestUpdate(ctx.get(), "\n", 1);
  };
  const std::string seq_text = std::to_string(seq);
  const std::string at_text = std::to_string(at_ms);
  feed(prev_hash);
  feed(seq_text);
  feed(at_text);
  feed(principal);
  feed(action);
  feed(object_id);
  feed(detail, true);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(length * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace coregate::store
