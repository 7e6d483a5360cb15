#include "gateway/plugin_host/adapter_set.h"

#include <gtest/gtest.h>

#include "gateway/config/config_loader.h"
#include "tests/unit/gateway/plugin_host/fixture_paths.h"

namespace coregate::plugin_host {
namespace {

struct Built {
  AdapterSet set;
  std::vector<config::ConfigError> problems;
};

Built build(std::string_view json, bool create = true) {
  static const PluginCatalog catalog =
      PluginCatalog::discover({testing::plugins_dir(), testing::broken_dir()});
  Built b;
  config::ConfigNode root = config::config_from_json_text(json, "gw.json");
  b.set = AdapterSet::build(root, catalog, default_host_services(), create, b.problems);
  return b;
}

std::string all(const std::vector<config::ConfigError>& problems) {
  std::string out;
  for (const auto& p : problems) out += std::string(p.what()) + "\n";
  return out;
}

TEST(AdapterSet, CreatesConfiguredAdapters) {
  Built b =
      build(R"({"adapters": {"core": {"plugin": "testing", "config": {}, "concurrency": 4}}})");
  EXPECT_TRUE(b.problems.empty()) << all(b.problems);
  ASSERT_NE(b.set.find("core"), nullptr);
  EXPECT_EQ(b.set.entries()[0].block.integer("concurrency"), 4);
}

TEST(AdapterSet, UnknownPluginListsWhatWasFound) {
  Built b = build(R"({"adapters": {"core": {"plugin": "tesitng"}}})");
  ASSERT_EQ(b.problems.size(), 1u);
  EXPECT_EQ(b.problems[0].key_path(), "adapters.core.plugin");
  EXPECT_NE(std::string(b.problems[0].what()).find("found: "), std::string::npos)
      << b.problems[0].what();
  EXPECT_NE(std::string(b.problems[0].what()).find("testing"), std::string::npos);
}

TEST(AdapterSet, UnknownBlockKeyGetsAHint) {
  Built b = build(R"({"adapters": {"core": {"plugin": "testing", "concurency": 4}}})");
  ASSERT_EQ(b.problems.size(), 1u);
  EXPECT_EQ(b.problems[0].key_path(), "adapters.core.concurency");
  EXPECT_NE(std::string(b.problems[0].what()).find("did you mean 'concurrency'?"),
            std::string::npos);
}

TEST(AdapterSet, ConfigIsValidatedAgainstThePluginsSchema) {
  // additionalProperties: false in the testing plugin's schema.
  Built b =
      build(R"({"adapters": {"core": {"plugin": "testing", "config": {"no_such_option": 1}}}})");
  ASSERT_FALSE(b.problems.empty());
  EXPECT_NE(b.problems[0].key_path().find("adapters.core.config"), std::string::npos)
      << all(b.problems);
  EXPECT_NE(std::string(b.problems[0].what()).find("testing plugin's schema"), std::string::npos);
  EXPECT_EQ(b.set.find("core"), nullptr);
}

TEST(AdapterSet, CreateFailureNamesTheAdapterAndCarriesTheMessage) {
  Built b = build(R"({"adapters": {"bad": {"plugin": "throwing_create"}}})");
  ASSERT_EQ(b.problems.size(), 1u) << all(b.problems);
  EXPECT_EQ(b.problems[0].key_path(), "adapters.bad.config");
  EXPECT_NE(std::string(b.problems[0].what()).find("refused this config"), std::string::npos);
}

TEST(AdapterSet, EveryProblemIsReportedNotJustTheFirst) {
  Built b = build(R"({"adapters": {"a": {"plugin": "nope"}, "b": {"plugin": "testing", "x": 1},
                                   "Bad Name": {"plugin": "testing"}}})");
  EXPECT_EQ(b.problems.size(), 3u) << all(b.problems);
}

TEST(AdapterSet, SchemaOnlyModeCreatesNothing) {
  Built b = build(R"({"adapters": {"core": {"plugin": "testing"}}})", false);
  EXPECT_TRUE(b.problems.empty()) << all(b.problems);
  ASSERT_EQ(b.set.entries().size(), 1u);
  EXPECT_EQ(b.set.entries()[0].instance, nullptr);
}

}  // namespace
}  // namespace coregate::plugin_host
