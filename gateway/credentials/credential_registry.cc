#include "gateway/credentials/credential_registry.h"

#include "gateway/credentials/oauth2_client_credentials.h"
#include "gateway/credentials/static_credentials.h"
#include "gateway/credentials/token_endpoint.h"

namespace coregate::credentials {
namespace {

std::string required_secret(const config::ConfigNode& node, std::string_view key) {
  std::string value = node.string(key);
  if (value.empty()) node.fail(key, "must not be empty");
  return value;
}

std::shared_ptr<CredentialProvider> oauth2_from(const config::ConfigNode& node) {
  node.allow_only({"kind", "token_url", "client_id", "client_secret", "scopes", "audience",
                   "resource", "auth_method", "expiry_skew", "default_lifetime", "timeout",
                   "ca_file", "extra_params"});
  TokenEndpointOptions o;
  o.token_url = node.string("token_url");
  if (o.token_url.rfind("https://", 0) != 0 && o.token_url.rfind("http://", 0) != 0) {
    node.fail("token_url", "must be an http:// or https:// URL");
  }
  o.client_id = node.string("client_id");
  o.client_secret = required_secret(node, "client_secret");
  o.scopes = node.strings_or("scopes", {});
  o.audience = node.string_or("audience", "");
  o.resource = node.string_or("resource", "");
  std::string method = node.string_or("auth_method", "client_secret_basic");
  if (method != "client_secret_basic" && method != "client_secret_post") {
    node.fail("auth_method", "must be client_secret_basic or client_secret_post");
  }
  o.secret_in_body = method == "client_secret_post";
  o.timeout = node.duration_or("timeout", std::chrono::seconds(10));
  if (node.has("ca_file")) o.ca_file = node.file_path("ca_file").string();
  if (auto extra = node.child_if("extra_params")) {
    for (const auto& [k, v] : extra->members()) {
      if (!v.json().is_string()) extra->fail(k, "must be a string");
      o.extra_params[k] = std::string(v.json().as_string());
    }
  }
  OAuth2Timing timing;
  timing.skew = node.duration_or("expiry_skew", std::chrono::seconds(30));
  timing.default_lifetime = node.duration_or("default_lifetime", std::chrono::minutes(5));
  if (timing.default_lifetime.count() <= 0) node.fail("default_lifetime", "must be positive");
  auto endpoint = std::make_shared<TokenEndpoint>(std::move(o));
  return std::make_shared<OAuth2ClientCredentials>([endpoint] { return endpoint->request(); },
                                                   timing);
}

std::shared_ptr<CredentialProvider> provider_from(const config::ConfigNode& node) {
  std::string kind = node.string("kind");
  if (kind == "basic") {
    node.allow_only({"kind", "username", "password"});
    return std::make_shared<StaticCredential>(
        kind, basic_authorization(node.string("username"), required_secret(node, "password")));
  }
  if (kind == "bearer") {
    node.allow_only({"kind", "token"});
    return std::make_shared<StaticCredential>(kind, "Bearer " + required_secret(node, "token"));
  }
  if (kind == "api_key") {
    node.allow_only({"kind", "key", "prefix"});
    return std::make_shared<StaticCredential>(
        kind, node.string_or("prefix", "") + required_secret(node, "key"));
  }
  if (kind == "oauth2_client_credentials") return oauth2_from(node);
  node.fail("kind", "must be one of basic, bearer, api_key, oauth2_client_credentials (got '" +
                        kind + "')");
}

}  // namespace

CredentialRegistry CredentialRegistry::from_config(const config::ConfigNode& root) {
  CredentialRegistry registry;
  auto section = root.child_if("credentials");
  if (!section) return registry;
  for (const auto& [name, node] : section->members()) {
    if (!node.json().is_object()) section->fail(name, "must be an object with a \"kind\"");
    registry.providers_.emplace(name, provider_from(node));
  }
  return registry;
}

CredentialProvider* CredentialRegistry::find(std::string_view provider) const {
  auto it = providers_.find(provider);
  return it == providers_.end() ? nullptr : it->second.get();
}

sdk::Fetched CredentialRegistry::get(std::string_view provider, bool force_refresh) const {
  if (auto* p = find(provider)) return p->get(force_refresh);
  std::string known;
  for (const auto& [name, _] : providers_) known += (known.empty() ? "" : ", ") + name;
  return {false,
          {},
          "no credential provider named '" + std::string(provider) + "' under 'credentials'" +
              (known.empty() ? std::string(" (none configured)") : " (configured: " + known + ")")};
}

}  // namespace coregate::credentials
