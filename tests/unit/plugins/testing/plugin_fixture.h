// Shared set-up for the testing plugin's tests: the real libcoregate_testing.so, loaded the way
// the gateway loads it, a real host, and a scratch folder per test.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tests/unit/sdk/abi_test_host.h"

namespace coregate::testing {

inline std::string testing_plugin_path() {
  return COREGATE_BINARY_DIR "/plugins/libcoregate_testing.so";
}

class TestingPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = std::make_unique<LoadedPlugin>(testing_plugin_path());
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("coregate-testing-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    adapters_.clear();
    std::filesystem::remove_all(dir_);
  }

  const cg_type_plugin_descriptor* descriptor() const { return plugin_->descriptor(); }

  // Creates an adapter that lives until the test ends; fails the test if create fails.
  AdapterHandle& create(const std::string& config, const std::string& instance = "t") {
    adapters_.push_back(std::make_unique<AdapterHandle>(descriptor(), host_, config, instance));
    EXPECT_TRUE(adapters_.back()->ok()) << config << "\n -> " << adapters_.back()->error();
    return *adapters_.back();
  }
  // The create error for a config that must be refused.
  std::string refusal(const std::string& config) {
    AdapterHandle adapter(descriptor(), host_, config, "t");
    EXPECT_FALSE(adapter.ok()) << config;
    return adapter.error();
  }
  void destroy_all() { adapters_.clear(); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Replaces a file atomically, as the control-file contract asks.
  static void write_atomically(const std::string& target, const std::string& text) {
    std::string temp = target + ".tmp";
    {
      std::ofstream out(temp);
      out << text;
    }
    std::filesystem::rename(temp, target);
  }

  static std::vector<boost::json::object> journal_lines(const std::string& file) {
    std::ifstream in(file);
    std::vector<boost::json::object> lines;
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) lines.push_back(boost::json::parse(line).as_object());
    }
    return lines;
  }

  static std::string quote(const std::string& s) {
    return boost::json::serialize(boost::json::value(s));
  }

  TestHost host_;
  std::unique_ptr<LoadedPlugin> plugin_;
  std::vector<std::unique_ptr<AdapterHandle>> adapters_;
  std::filesystem::path dir_;
};

}  // namespace coregate::testing
