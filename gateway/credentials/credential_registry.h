// The "credentials" section of the gateway config: named providers every adapter can use through
// cg_cb_credentials (HostServices::credentials).
//
//   "credentials": {
//     "core_basic":  {"kind": "basic", "username": "svc", "password": "${env:CORE_PASSWORD}"},
//     "crm_token":   {"kind": "bearer", "token": "${file:/run/secrets/crm_token}"},
//     "billing_key": {"kind": "api_key", "key": "${env:BILLING_KEY}", "prefix": ""},
//     "crm_oauth":   {"kind": "oauth2_client_credentials",
//                     "token_url": "https://auth.example.com/oauth/token",
//                     "client_id": "coregate", "client_secret": "${env:CRM_CLIENT_SECRET}",
//                     "scopes": ["arrangements:write"], "audience": "https://crm.example.com",
//                     "expiry_skew": "30s", "timeout": "10s"}
//   }
//
// Secrets are ${env:..}/${file:..} references, resolved (and registered for redaction) when the
// config is loaded. Errors name the file and key (config::ConfigError) and never the secret.
// Thread-safety: immutable after from_config(); get() is safe from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/config/config_node.h"
#include "gateway/credentials/credential_provider.h"

namespace coregate::credentials {

class CredentialRegistry {
 public:
  // Reads root["credentials"] (absent = no providers). Throws config::ConfigError.
  static CredentialRegistry from_config(const config::ConfigNode& root);

  // The provider's current value; an unknown name is an error naming the configured ones.
  sdk::Fetched get(std::string_view provider, bool force_refresh) const;

  // nullptr when no provider has that name.
  CredentialProvider* find(std::string_view provider) const;
  size_t size() const { return providers_.size(); }

 private:
  std::map<std::string, std::shared_ptr<CredentialProvider>, std::less<>> providers_;
};

}  // namespace coregate::credentials
