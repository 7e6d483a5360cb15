// Who is calling and what they may do (DESIGN §4 scopes), as resolved from a bearer token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::auth {

enum class Scope : uint32_t {
  kOutcomesWrite = 1u << 0,     // "outcomes:write"
  kOutcomesRead = 1u << 1,      // "outcomes:read"
  kTriggersRead = 1u << 2,      // "triggers:read"
  kExceptionsManage = 1u << 3,  // "exceptions:manage"
  kAdmin = 1u << 4,             // "admin": implies every other scope
};

std::optional<Scope> parse_scope(std::string_view text);
std::string_view scope_name(Scope scope);
// Every scope name, for error messages and docs.
const std::vector<std::string>& all_scope_names();

struct Principal {
  std::string name;  // the token's configured name; idempotency keys and audit records use it
  uint32_t scopes = 0;
  // Narrowing (DESIGN §4): when non-empty, only these outcome types / adapters.
  std::vector<std::string> types;
  std::vector<std::string> adapters;

  bool has(Scope scope) const {
    return (scopes & static_cast<uint32_t>(scope)) != 0 ||
           (scopes & static_cast<uint32_t>(Scope::kAdmin)) != 0;
  }
  bool allows_type(std::string_view type) const;
  bool allows_adapter(std::string_view adapter) const;
};

}  // namespace coregate::auth
