#include "gateway/config/config_node.h"

#include <gtest/gtest.h>

#include "gateway/config/config_loader.h"
#include "gateway/config/gateway_sections.h"
#include "tests/unit/gateway/config/config_test_support.h"

namespace coregate::config {
namespace {

using testing::expect_config_error;
using namespace std::chrono_literals;

ConfigNode parse(std::string_view json) {
  return config_from_json_text(json, "test.json");
}

TEST(ConfigNode, TypedAccessorsAcceptTextAndJsonTypes) {
  ConfigNode root = parse(R"({"n": 8, "s": "8", "b": "true", "d": "5s", "z": "64KiB", "f": 2.5})");
  EXPECT_EQ(root.integer("n"), 8);
  EXPECT_EQ(root.integer("s"), 8);
  EXPECT_TRUE(root.boolean_or("b", false));
  EXPECT_EQ(root.duration("d"), 5s);
  EXPECT_EQ(root.size_or("z", 0), 64u * 1024);
  EXPECT_DOUBLE_EQ(root.number_or("f", 0), 2.5);
  EXPECT_EQ(root.integer_or("missing", 3), 3);
  EXPECT_EQ(root.string_or("missing", "x"), "x");
}

TEST(ConfigNode, IntegerErrorsNameFileKeyAndRange) {
  ConfigNode root = parse(R"({"adapters": {"core": {"concurrency": "eight", "big": 5000}}})");
  ConfigNode core = root.child("adapters").child("core");
  auto e = expect_config_error([&] { (void)core.integer("concurrency", 1, 1024); });
  EXPECT_EQ(e.file(), "test.json");
  EXPECT_EQ(e.key_path(), "adapters.core.concurrency");
  EXPECT_NE(std::string(e.what()).find("expected an integer from 1 to 1024, got 'eight'"),
            std::string::npos)
      << e.what();
  auto range = expect_config_error([&] { (void)core.integer("big", 1, 1024); });
  EXPECT_NE(std::string(range.what()).find("got 5000"), std::string::npos) << range.what();
}

TEST(ConfigNode, MissingRequiredKeySaysWhatWasExpected) {
  auto e = expect_config_error([] { (void)parse(R"({"a": {}})").child("a").string("plugin"); });
  EXPECT_EQ(e.key_path(), "a.plugin");
  EXPECT_NE(std::string(e.what()).find("missing (expected a string)"), std::string::npos)
      << e.what();
}

TEST(ConfigNode, WrongShapesAreRejected) {
  ConfigNode root =
      parse(R"({"o": "text", "l": {"x": 1}, "b": "yes", "d": "5 seconds", "z": "12XB"})");
  EXPECT_THROW((void)root.child("o"), ConfigError);
  EXPECT_THROW((void)root.strings_or("l", {}), ConfigError);
  EXPECT_THROW((void)root.boolean_or("b", false), ConfigError);
  EXPECT_THROW((void)root.duration("d"), ConfigError);
  EXPECT_THROW((void)root.size_or("z", 0), ConfigError);
  EXPECT_THROW((void)root.number_or("o", 0), ConfigError);
}

TEST(ConfigNode, UnknownKeySuggestsTheClosestKnownKey) {
  ConfigNode root = parse(R"({"adapters": {}, "plugn_path": ["x"]})");
  auto e = expect_config_error([&] { check_top_level_sections(root); });
  EXPECT_EQ(e.key_path(), "plugn_path");
  EXPECT_NE(std::string(e.what()).find("did you mean 'plugin_path'?"), std::string::npos)
      << e.what();
}

TEST(ConfigNode, UnknownKeyFarFromAnyListsTheKnownOnes) {
  ConfigNode root = parse(R"({"s": {"zzzzzzzz": 1}})");
  auto e = expect_config_error([&] { root.child("s").allow_only({"path", "backend"}); });
  EXPECT_NE(std::string(e.what()).find("expected one of: path, backend"), std::string::npos)
      << e.what();
}

TEST(ConfigNode, ListsAcceptOneValueOrMany) {
  ConfigNode root =
      parse(R"({"one": "a", "many": ["a", "b"], "objs": [{"x": 1}, {"x": 2}], "obj": {"x": 3}})");
  EXPECT_EQ(root.strings_or("one", {}), std::vector<std::string>{"a"});
  EXPECT_EQ(root.strings_or("many", {}), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(root.strings_or("none", {"d"}), std::vector<std::string>{"d"});
  auto objs = root.items("objs");
  ASSERT_EQ(objs.size(), 2u);
  EXPECT_EQ(objs[1].integer("x"), 2);
  EXPECT_EQ(objs[1].path(), "objs[1]");
  EXPECT_EQ(root.items("obj").size(), 1u);
  EXPECT_TRUE(root.items("absent").empty());
}

TEST(ConfigNode, ListItemOfWrongTypeNamesItsIndex) {
  ConfigNode root = parse(R"({"l": ["a", {"x": 1}]})");
  auto e = expect_config_error([&] { (void)root.strings_or("l", {}); });
  EXPECT_EQ(e.key_path(), "l[1]");
}

TEST(ConfigNode, MembersKeepFileOrderAndPaths) {
  ConfigNode root = parse(R"({"adapters": {"zeta": {}, "alpha": {}}})");
  auto members = root.child("adapters").members();
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].first, "zeta");
  EXPECT_EQ(members[1].second.path(), "adapters.alpha");
}

TEST(ConfigNode, RelativePathsResolveAgainstTheConfigFolder) {
  testing::TempDir dir;
  auto file = dir.write("gw.json", R"({"store": {"path": "var/db.sqlite", "abs": "/tmp/x"}})");
  auto loaded = load_config_file(file);
  ConfigNode store = loaded.root.child("store");
  EXPECT_EQ(store.file_path("path"), dir.path() / "var/db.sqlite");
  EXPECT_EQ(store.file_path("abs"), std::filesystem::path("/tmp/x"));
  EXPECT_EQ(store.file_path_or("missing", "d.db"), dir.path() / "d.db");
}

TEST(ParseDuration, UnitsAndRejections) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("7d"), std::chrono::milliseconds(7 * 86'400'000LL));
  EXPECT_EQ(parse_duration("1500"), 1500ms);
  EXPECT_EQ(parse_duration("2m"), 120'000ms);
  EXPECT_FALSE(parse_duration(""));
  EXPECT_FALSE(parse_duration("s"));
  EXPECT_FALSE(parse_duration("-5s"));
  EXPECT_FALSE(parse_duration("5w"));
  EXPECT_FALSE(parse_duration("99999999999999999999d"));
}

TEST(ParseSize, UnitsAndRejections) {
  EXPECT_EQ(parse_size("1MiB"), 1u << 20);
  EXPECT_EQ(parse_size("1MB"), 1000000u);
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_FALSE(parse_size("1TiB"));
  EXPECT_FALSE(parse_size("MiB"));
}

}  // namespace
}  // namespace coregate::config
