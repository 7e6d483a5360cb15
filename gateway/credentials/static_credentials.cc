#include "gateway/credentials/static_credentials.h"

#include <openssl/evp.h>

#include <vector>

namespace coregate::credentials {

std::string basic_authorization(std::string_view username, std::string_view password) {
  std::string plain = std::string(username) + ":" + std::string(password);
  std::vector<unsigned char> encoded(4 * ((plain.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(encoded.data(), reinterpret_cast<const unsigned char*>(plain.data()),
                          static_cast<int>(plain.size()));
  return "Basic " + std::string(reinterpret_cast<const char*>(encoded.data()), n);
}

}  // namespace coregate::credentials
