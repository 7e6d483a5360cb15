#include "gateway/config/config_loader.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "tests/unit/gateway/config/config_test_support.h"

namespace coregate::config {
namespace {

using testing::expect_config_error;
using testing::TempDir;

// The same gateway config in the three formats PropertyTree reads.
constexpr const char* kJson = R"({
  "listen": "127.0.0.1:8080",
  "plugin_path": ["plugins", "more"],
  "adapters": {"core": {"plugin": "testing", "concurrency": 4}}
})";
constexpr const char* kXml = R"(<?xml version="1.0"?>
<!-- a comment the loader must ignore -->
<coregate>
  <listen>127.0.0.1:8080</listen>
  <plugin_path>plugins</plugin_path>
  <plugin_path>more</plugin_path>
  <adapters><core plugin="testing"><concurrency>4</concurrency></core></adapters>
</coregate>)";
constexpr const char* kInfo = R"(listen 127.0.0.1:8080
plugin_path plugins
plugin_path more
adapters { core { plugin testing
  concurrency 4 } }
)";

struct FormatCase {
  const char* file;
  const char* text;
  friend void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.file; }
};

class ConfigFormats : public ::testing::TestWithParam<FormatCase> {};

TEST_P(ConfigFormats, AllThreeFormatsReadTheSame) {
  TempDir dir;
  auto [name, text] = GetParam();
  LoadedConfig c = load_config_file(dir.write(name, text));
  EXPECT_EQ(c.root.string("listen"), "127.0.0.1:8080");
  EXPECT_EQ(c.root.strings_or("plugin_path", {}), (std::vector<std::string>{"plugins", "more"}));
  ConfigNode core = c.root.child("adapters").child("core");
  EXPECT_EQ(core.string("plugin"), "testing");
  EXPECT_EQ(core.integer("concurrency", 1, 64), 4);
}

INSTANTIATE_TEST_SUITE_P(Formats, ConfigFormats,
                         ::testing::Values(FormatCase{"gw.json", kJson}, FormatCase{"gw.xml", kXml},
                                           FormatCase{"gw.info", kInfo}),
                         [](const auto& info) { return std::string(info.param.file).substr(3); });

TEST(ConfigLoader, MissingFileNamesTheFile) {
  auto e = expect_config_error([] { (void)load_config_file("/nonexistent/gw.json"); });
  EXPECT_EQ(e.file(), "/nonexistent/gw.json");
  EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
}

TEST(ConfigLoader, UnsupportedExtensionSaysWhichAreSupported) {
  TempDir dir;
  auto e = expect_config_error([&] { (void)load_config_file(dir.write("gw.yaml", "a: 1")); });
  EXPECT_NE(std::string(e.what()).find("expected .json, .xml or .info"), std::string::npos)
      << e.what();
}

TEST(ConfigLoader, SyntaxErrorGivesTheLine) {
  TempDir dir;
  auto e = expect_config_error(
      [&] { (void)load_config_file(dir.write("gw.json", "{\n\"a\": 1,\n\"b\": }\n")); });
  EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  auto x = expect_config_error(
      [&] { (void)load_config_file(dir.write("gw.xml", "<coregate><a></coregate>")); });
  EXPECT_NE(std::string(x.what()).find("cannot parse"), std::string::npos) << x.what();
}

TEST(ConfigLoader, DuplicateJsonKeyIsAnError) {
  TempDir dir;
  auto e = expect_config_error([&] {
    (void)load_config_file(dir.write("gw.json", R"({"store": {"path": "a", "path": "b"}})"));
  });
  EXPECT_EQ(e.key_path(), "store.path");
  EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos);
}

TEST(ConfigLoader, TopLevelMustBeAnObject) {
  TempDir dir;
  EXPECT_THROW((void)load_config_file(dir.write("gw.json", "[1, 2]")), ConfigError);
  EXPECT_THROW((void)load_config_file(dir.write("gw.xml", "<a/><b/>")), ConfigError);
}

TEST(ConfigLoader, SecretReferencesAreResolvedAtLoad) {
  TempDir dir;
  auto secret_file = dir.write("token", "file-secret-value\n");
  setenv("COREGATE_TEST_PASSWORD", "env-secret-value", 1);
  LoadedConfig c = load_config_file(dir.write(
      "gw.json",
      R"({"a": "${env:COREGATE_TEST_PASSWORD}", "b": "${file:)" + secret_file.string() +
          R"(}", "dsn": "Driver=X;PWD=${env:COREGATE_TEST_PASSWORD};", "lit": "$${env:NOT}"})"));
  EXPECT_EQ(c.root.string("a"), "env-secret-value");
  EXPECT_EQ(c.root.string("b"), "file-secret-value");
  EXPECT_EQ(c.root.string("dsn"), "Driver=X;PWD=env-secret-value;");
  EXPECT_EQ(c.root.string("lit"), "${env:NOT}");
}

TEST(ConfigLoader, MissingSecretNamesKeyAndVariableButNoValue) {
  TempDir dir;
  unsetenv("COREGATE_TEST_ABSENT");
  auto e = expect_config_error([&] {
    (void)load_config_file(
        dir.write("gw.json", R"({"auth": {"token": "${env:COREGATE_TEST_ABSENT}"}})"));
  });
  EXPECT_EQ(e.key_path(), "auth.token");
  EXPECT_NE(std::string(e.what()).find("COREGATE_TEST_ABSENT is not set"), std::string::npos)
      << e.what();
  auto f = expect_config_error([&] {
    (void)load_config_file(dir.write("gw.json", R"({"k": "${file:/nonexistent/secret}"})"));
  });
  EXPECT_NE(std::string(f.what()).find("cannot read secret file"), std::string::npos);
  auto u = expect_config_error(
      [&] { (void)load_config_file(dir.write("gw.json", R"({"k": "${vault:x}"})")); });
  EXPECT_NE(std::string(u.what()).find("unknown reference"), std::string::npos);
}

TEST(ConfigLoader, ErrorsNeverShowASecretValue) {
  TempDir dir;
  setenv("COREGATE_TEST_LEAKY", "hunter2-very-secret", 1);
  LoadedConfig c = load_config_file(dir.write("gw.json", R"({"n": "${env:COREGATE_TEST_LEAKY}"})"));
  auto e = expect_config_error([&] { (void)c.root.integer("n"); });
  EXPECT_EQ(std::string(e.what()).find("hunter2-very-secret"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("***"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace coregate::config
