// MappingRegistry: a directory of mapping files, by name; all bad files reported together.
#include "gateway/mapping/mapping_registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace coregate::mapping {
namespace {

class MappingRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coregate_mapping_registry_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "sub");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  std::filesystem::path dir_;
};

TEST_F(MappingRegistryTest, LoadsADirectoryByName) {
  write("a.json", R"({"name": "a", "fields": [{"canonical": "/x", "system": "/X"}]})");
  write("b.json", R"({"name": "b", "fields": [{"canonical": "/y", "system": "/Y"}]})");
  // Subfolders hold layouts and sample records, never mappings: not even a valid one is loaded.
  write("sub/c.json", R"({"name": "c", "fields": [{"canonical": "/z", "system": "/Z"}]})");
  write("notes.txt", "not a mapping");
  MappingRegistry registry;
  registry.load_directory(dir_);
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(registry.find("b"));
  EXPECT_EQ(registry.find("b")->rule_count(), 1u);
  EXPECT_FALSE(registry.find("c"));
}

TEST_F(MappingRegistryTest, ReportsEveryBadFileAndRegistersNothing) {
  write("a.json", R"({"name": "a", "fields": [{"canonical": "/x", "system": "/X"}]})");
  write("b.json", R"({"name": "a", "fields": [{"canonical": "/x", "system": "/X"}]})");
  write("c.json", R"({"name": "c", "fields": [{"canonical": "x", "system": "/X"}]})");
  MappingRegistry registry;
  try {
    registry.load_directory(dir_);
    FAIL();
  } catch (const MappingLoadError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("b.json: at /name: mapping name 'a' is already used by"), std::string::npos)
        << what;
    EXPECT_NE(what.find("c.json: step 0"), std::string::npos) << what;
  }
  EXPECT_TRUE(registry.names().empty());
}

}  // namespace
}  // namespace coregate::mapping
