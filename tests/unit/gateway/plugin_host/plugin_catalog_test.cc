#include "gateway/plugin_host/plugin_catalog.h"

#include <gtest/gtest.h>

#include "tests/unit/gateway/plugin_host/fixture_paths.h"

namespace coregate::plugin_host {
namespace {

TEST(PluginCatalog, BrokenFolderLoadsTheGoodAndExplainsTheRest) {
  auto catalog = PluginCatalog::discover({testing::broken_dir()});
  // The healthy ones load, every broken one is refused with its file named.
  EXPECT_NE(catalog.find("minimal"), nullptr);
  std::vector<std::string> refused;
  for (const auto& r : catalog.refusals()) refused.push_back(r.file.filename().string());
  for (const char* name : {"wrong_major", "newer_minor", "no_entry", "null_descriptor",
                           "short_descriptor", "not_elf"}) {
    std::string file = std::string("libcoregate_") + name + ".so";
    EXPECT_NE(std::find(refused.begin(), refused.end(), file), refused.end())
        << file << " was not refused";
  }
}

TEST(PluginCatalog, DuplicateNameKeepsTheFirstAndNamesBothFiles) {
  auto catalog = PluginCatalog::discover({testing::broken_dir()});
  auto twin = catalog.find("twin");
  ASSERT_NE(twin, nullptr);
  EXPECT_EQ(twin->file().filename(), "libcoregate_twin_a.so");
  bool found = false;
  for (const auto& r : catalog.refusals()) {
    if (r.file.filename() == "libcoregate_twin_b.so") {
      found = true;
      EXPECT_NE(r.reason.find("already provided by"), std::string::npos) << r.reason;
      EXPECT_NE(r.reason.find("libcoregate_twin_a.so"), std::string::npos) << r.reason;
    }
  }
  EXPECT_TRUE(found);
}

TEST(PluginCatalog, MissingDirectoryIsReported) {
  auto catalog = PluginCatalog::discover({"/nonexistent/plugins"});
  ASSERT_EQ(catalog.refusals().size(), 1u);
  EXPECT_NE(catalog.refusals()[0].reason.find("not a directory"), std::string::npos);
  EXPECT_EQ(catalog.names(), "none");
}

TEST(PluginCatalog, FirstDirectoryWinsForTheSameName) {
  auto catalog = PluginCatalog::discover({testing::plugins_dir(), testing::plugins_dir()});
  EXPECT_NE(catalog.find("testing"), nullptr);
  EXPECT_FALSE(catalog.refusals().empty());  // the second copy is a duplicate
}

}  // namespace
}  // namespace coregate::plugin_host
