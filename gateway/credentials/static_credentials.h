// Providers whose value never changes while the gateway runs: Basic (user + password), a static
// bearer token, an API key. The secret arrives already resolved from ${env:..}/${file:..}.
#pragma once

#include <string>

#include "gateway/credentials/credential_provider.h"

namespace coregate::credentials {

class StaticCredential : public CredentialProvider {
 public:
  StaticCredential(std::string kind, std::string value)
      : kind_(std::move(kind)), value_(std::move(value)) {}
  sdk::Fetched get(bool) override { return {true, value_, {}}; }
  std::string kind() const override { return kind_; }

 private:
  std::string kind_;
  std::string value_;
};

// "Basic " + base64(username ":" password), RFC 7617.
std::string basic_authorization(std::string_view username, std::string_view password);

}  // namespace coregate::credentials
