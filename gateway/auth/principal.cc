#include "gateway/auth/principal.h"

#include <algorithm>
#include <array>

namespace coregate::auth {
namespace {

constexpr std::array<std::pair<std::string_view, Scope>, 5> kScopes = {{
    {"outcomes:write", Scope::kOutcomesWrite},
    {"outcomes:read", Scope::kOutcomesRead},
    {"triggers:read", Scope::kTriggersRead},
    {"exceptions:manage", Scope::kExceptionsManage},
    {"admin", Scope::kAdmin},
}};

}  // namespace

std::optional<Scope> parse_scope(std::string_view text) {
  for (const auto& [name, scope] : kScopes) {
    if (name == text) return scope;
  }
  return std::nullopt;
}

std::string_view scope_name(Scope scope) {
  for (const auto& [name, value] : kScopes) {
    if (value == scope) return name;
  }
  return "unknown";
}

const std::vector<std::string>& all_scope_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& [name, scope] : kScopes) list.emplace_back(name);
    return list;
  }();
  return names;
}

bool Principal::allows_type(std::string_view type) const {
  return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

bool Principal::allows_adapter(std::string_view adapter) const {
  return adapters.empty() || std::find(adapters.begin(), adapters.end(), adapter) != adapters.end();
}

}  // namespace coregate::auth
