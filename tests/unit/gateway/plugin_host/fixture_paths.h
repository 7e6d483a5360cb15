// Where the built plugins live (tests/fixtures/broken_plugins builds the broken ones).
#pragma once

#include <filesystem>
#include <string>

namespace coregate::plugin_host::testing {

inline std::filesystem::path broken_dir() {
  return std::filesystem::path(COREGATE_BINARY_DIR) / "tests" / "broken_plugins";
}
inline std::filesystem::path broken(const std::string& name) {
  return broken_dir() / ("libcoregate_" + name + ".so");
}
inline std::filesystem::path plugins_dir() {
  return std::filesystem::path(COREGATE_BINARY_DIR) / "plugins";
}

}  // namespace coregate::plugin_host::testing
