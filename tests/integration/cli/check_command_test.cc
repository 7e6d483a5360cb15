#include "tests/integration/cli/cli_test_support.h"

namespace coregate::testing {
namespace {

std::string config_with(const std::string& adapters_block, const std::string& extra = "") {
  return R"({"plugin_path": [")" + plugins_dir() + R"("], "adapters": )" + adapters_block + extra +
         "}";
}

TEST(CheckCommand, GoodConfigPasses) {
  ScratchDir dir;
  auto file = dir.write("gw.json", config_with(R"({"core": {"plugin": "testing", "config": {}}})"));
  ProcessResult r = coregate({"check", "--config", file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("OK (1 adapter, 0 mappings)"), std::string::npos) << r.out;
}

TEST(CheckCommand, XmlAndInfoConfigsPassToo) {
  ScratchDir dir;
  auto xml = dir.write(
      "gw.xml",
      "<coregate><plugin_path>" + plugins_dir() +
          "</plugin_path><adapters><core><plugin>testing</plugin></core></adapters></coregate>");
  EXPECT_EQ(coregate({"check", "--config", xml.string()}).exit_code, 0);
  auto info = dir.write(
      "gw.info", "plugin_path " + plugins_dir() + "\nadapters { core { plugin testing } }\n");
  ProcessResult r = coregate({"check", "--config", info.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

struct BadConfig {
  const char* name;
  std::string text;
  std::vector<std::string> expected;  // phrases that must appear in stderr
  friend void PrintTo(const BadConfig& c, std::ostream* os) { *os << c.name; }
};

class CheckRejects : public ::testing::TestWithParam<BadConfig> {};

TEST_P(CheckRejects, NamingFileAndKey) {
  ScratchDir dir;
  auto file = dir.write("gw.json", GetParam().text);
  ProcessResult r = coregate({"check", "--config", file.string()});
  ASSERT_TRUE(r.exited);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find(file.string()), std::string::npos) << r.err;
  for (const auto& phrase : GetParam().expected) {
    EXPECT_NE(r.err.find(phrase), std::string::npos) << "missing '" << phrase << "' in:\n" << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Configs, CheckRejects,
    ::testing::Values(
        BadConfig{"typo_section",
                  config_with("{}", R"(, "adaptors": {})"),
                  {"adaptors", "did you mean 'adapters'?"}},
        BadConfig{"unknown_plugin",
                  config_with(R"({"core": {"plugin": "sap"}})"),
                  {"adapters.core.plugin", "no plugin named 'sap'"}},
        BadConfig{"schema_violation",
                  config_with(R"({"core": {"plugin": "testing", "config": {"bogus": true}}})"),
                  {"adapters.core.config", "testing plugin's schema"}},
        BadConfig{
            "missing_env",
            config_with(
                R"({"core": {"plugin": "testing", "config": {"journal": "${env:COREGATE_NOT_SET_ANYWHERE}"}}})"),
            {"adapters.core.config.journal", "COREGATE_NOT_SET_ANYWHERE is not set"}},
        BadConfig{"syntax", "{\"adapters\": {,}}", {"cannot parse", "line 1"}},
        BadConfig{
            "two_problems",
            config_with(R"({"a": {"plugin": "x"}, "b": {"plugin": "testing", "concurency": 2}})"),
            {"adapters.a.plugin", "adapters.b.concurency", "2 problems found"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CheckCommand, CompilesConfiguredMappingsAgainstTheCanonicalSchemas) {
  ScratchDir dir;
  const std::string examples = std::string(COREGATE_SOURCE_DIR) + "/examples/mappings";
  auto good =
      dir.write("gw.json", config_with(R"({})", R"(, "mappings": [")" + examples + R"("])"));
  ProcessResult ok = coregate({"check", "--config", good.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("2 mappings"), std::string::npos) << ok.out;

  std::filesystem::create_directory(dir.path() / "bad");
  dir.write("bad/typo.json",
            R"({"name": "typo", "canonical": {"schema": "outcomes/arrangement.promise_to_pay.json"},
      "system": {"name": "core"}, "fields": [{"canonical": "/data/amount/valeu", "system": "/AMOUNT"}]})");
  auto bad = dir.write(
      "gw2.json",
      config_with(R"({})", R"(, "mappings": [")" + (dir.path() / "bad").string() + R"("])"));
  ProcessResult r = coregate({"check", "--config", bad.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("typo.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mappings"), std::string::npos) << r.err;
}

TEST(CheckCommand, SectionsServeReadsAreCheckedToo) {
  ScratchDir dir;
  auto file = dir.write("gw.json", config_with(R"({})", R"(, "store": {"pth": "x.db"})"));
  ProcessResult r = coregate({"check", "--config", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("store.pth"), std::string::npos) << r.err;
}

TEST(CheckCommand, ShippedExampleConfigsPass) {
  const std::string examples = std::string(COREGATE_SOURCE_DIR) + "/examples";
  // The quickstart's ODBC adapter connects to its core banking database at create, as serve does.
  const auto db = std::filesystem::temp_directory_path() /
                  ("coregate-check-core-banking-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(db);
  ASSERT_EQ(run_process({"/bin/sh", "-c",
                         "/usr/bin/sqlite3 '" + db.string() + "' < '" + examples +
                             "/quickstart/core_banking.sql'"},
                        std::chrono::seconds(30))
                .exit_code,
            0);
  ProcessResult quickstart = run_process({binary_path("coregate").string(), "check", "--config",
                                          examples + "/quickstart/coregate.json"},
                                         std::chrono::seconds(60),
                                         {{"COREGATE_QUICKSTART_TOKEN", "example-token-for-check"},
                                          {"COREGATE_QUICKSTART_DB", db.string()}});
  std::filesystem::remove(db);
  EXPECT_EQ(quickstart.exit_code, 0) << quickstart.out << quickstart.err;
  ProcessResult testing = run_process(
      {binary_path("coregate").string(), "check", "--config", examples + "/testing/coregate.json"},
      std::chrono::seconds(60), {{"COREGATE_TOKEN", "example-token-for-check"}});
  EXPECT_EQ(testing.exit_code, 0) << testing.out << testing.err;
}

TEST(CheckCommand, MissingFileIsAProblemNotACrash) {
  ProcessResult r = coregate({"check", "--config", "/nonexistent/gw.json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open the config file"), std::string::npos);
}

}  // namespace
}  // namespace coregate::testing
