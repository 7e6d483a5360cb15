// One named source of outbound credentials ("credentials": {"<name>": {"kind": ...}} in the
// gateway config). The value a provider returns is what an adapter puts in a request header as
// is: "Basic dXNlcjpwYXNz", "Bearer eyJ...", or an API key.
//
// Thread-safety: get() may be called from any number of adapter threads at once.
// Errors: get() never throws; a failure comes back as Fetched{ok=false} whose error never
// contains a secret.
#pragma once

#include <string>

#include "coregate/sdk/host.h"

namespace coregate::credentials {

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;

  // The current value. force_refresh discards a cached value first (an adapter passes it once
  // after the target answered 401); static providers ignore it.
  virtual sdk::Fetched get(bool force_refresh) = 0;
  // "basic", "bearer", "api_key", "oauth2_client_credentials".
  virtual std::string kind() const = 0;
};

}  // namespace coregate::credentials
