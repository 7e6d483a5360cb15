#include <sstream>

#include "tests/integration/cli/cli_test_support.h"

namespace coregate::testing {
namespace {

TEST(PluginsCommand, ListsTheTestingPluginWithAbiAndVersion) {
  ProcessResult r = coregate({"plugins", "--plugin-path", plugins_dir()});
  ASSERT_TRUE(r.exited) << "died by signal " << r.signal;
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("testing"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 1.0 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0.1.0"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("refused"), std::string::npos) << r.out;
}

TEST(PluginsCommand, BrokenFolderListsEachWithItsReasonAndExitsNonZero) {
  ProcessResult r = coregate({"plugins", "--plugin-path", broken_dir()});
  ASSERT_TRUE(r.exited) << "died by signal " << r.signal << "\n" << r.out << r.err;
  EXPECT_EQ(r.exit_code, 1);
  struct Expect {
    const char* file;
    const char* reason;
  };
  for (const Expect& e : {Expect{"libcoregate_wrong_major.so", "majors must match"},
                          Expect{"libcoregate_newer_minor.so", "newer than this gateway"},
                          Expect{"libcoregate_no_entry.so", "exports no coregate_plugin_init"},
                          Expect{"libcoregate_null_descriptor.so", "returned NULL"},
                          Expect{"libcoregate_short_descriptor.so", "needs at least"},
                          Expect{"libcoregate_throwing_create.so", "create hook fails"},
                          Expect{"libcoregate_raw_throwing_create.so", "escape across the C ABI"},
                          Expect{"libcoregate_failing_create.so", "create hook fails"},
                          Expect{"libcoregate_not_elf.so", "not a shared object"},
                          Expect{"libcoregate_throwing_init.so", "coregate_plugin_init threw"},
                          Expect{"libcoregate_twin_b.so", "already provided by"}}) {
    size_t at = r.out.find(e.file);
    ASSERT_NE(at, std::string::npos) << e.file << " not listed:\n" << r.out;
    size_t next_line = r.out.find('\n', at);
    std::string reason = r.out.substr(next_line, r.out.find('\n', next_line + 1) - next_line);
    EXPECT_NE(reason.find(e.reason), std::string::npos) << e.file << ": " << reason;
  }
}

TEST(PluginsCommand, MissingFolderIsReported) {
  ProcessResult r = coregate({"plugins", "--plugin-path", "/nonexistent/dir"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("not a directory"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace coregate::testing

namespace coregate::testing {
namespace {

TEST(PluginBinary, ExportsOnlyTheEntrySymbol) {
  ProcessResult r = run_process(
      {"/usr/bin/nm", "-D", "--defined-only", plugins_dir() + "/libcoregate_testing.so"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> exported;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    std::string symbol = line.substr(line.rfind(' ') + 1);
    if (!symbol.empty()) exported.push_back(symbol);
  }
  EXPECT_EQ(exported, std::vector<std::string>{"coregate_plugin_init"}) << r.out;
}

}  // namespace
}  // namespace coregate::testing
