#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace coregate::testing {

inline ProcessResult coregate(std::vector<std::string> args) {
  args.insert(args.begin(), binary_path("coregate").string());
  return run_process(args, std::chrono::seconds(60));
}

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "coregate-cli-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name) << content;
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

inline std::string plugins_dir() {
  return std::string(COREGATE_BINARY_DIR) + "/plugins";
}
inline std::string broken_dir() {
  return std::string(COREGATE_BINARY_DIR) + "/tests/broken_plugins";
}

}  // namespace coregate::testing
