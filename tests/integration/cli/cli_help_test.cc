#include "tests/integration/cli/cli_test_support.h"

namespace coregate::testing {
namespace {

TEST(CliHelp, VersionAndHelp) {
  ProcessResult v = coregate({"--version"});
  EXPECT_TRUE(v.exited);
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("coregate ", 0), 0u) << v.out;
  ProcessResult h = coregate({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* verb :
       {"serve", "check", "plugins", "map", "validate", "copybook", "exceptions", "audit"}) {
    EXPECT_NE(h.out.find(verb), std::string::npos) << verb;
  }
}

TEST(CliHelp, EveryVerbAnswersHelp) {
  for (const char* verb :
       {"serve", "check", "plugins", "map", "validate", "copybook", "exceptions", "audit"}) {
    ProcessResult r = coregate({verb, "--help"});
    EXPECT_EQ(r.exit_code, 0) << verb << ": " << r.err;
    EXPECT_NE(r.out.find(std::string("usage: coregate ") + verb), std::string::npos)
        << verb << ": " << r.out;
  }
}

TEST(CliHelp, UnknownVerbAndBadOptionsAreUsageErrors) {
  ProcessResult r = coregate({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown verb 'frobnicate'"), std::string::npos);
  ProcessResult o = coregate({"check", "--confg", "x.json"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("unknown option --confg"), std::string::npos) << o.err;
  ProcessResult m = coregate({"check"});
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find("missing required option --config"), std::string::npos) << m.err;
  EXPECT_EQ(coregate({}).exit_code, 2);
}

}  // namespace
}  // namespace coregate::testing
