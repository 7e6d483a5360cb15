#include "gateway/plugin_host/plugin_library.h"

#include <gtest/gtest.h>

#include "tests/unit/gateway/plugin_host/fixture_paths.h"

namespace coregate::plugin_host {
namespace {

using testing::broken;

// Each broken fixture is refused with a reason that says what is wrong and what to do.
struct Refusal {
  const char* fixture;
  std::vector<std::string> phrases;
  friend void PrintTo(const Refusal& r, std::ostream* os) { *os << r.fixture; }
};

class LoaderRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(LoaderRefuses, WithAReasonAndAFix) {
  const Refusal& r = GetParam();
  ASSERT_TRUE(std::filesystem::exists(broken(r.fixture))) << broken(r.fixture);
  LoadResult result = load_plugin_library(broken(r.fixture));
  EXPECT_EQ(result.library, nullptr);
  for (const auto& phrase : r.phrases) {
    EXPECT_NE(result.refusal.find(phrase), std::string::npos)
        << "refusal of " << r.fixture << " lacks '" << phrase << "': " << result.refusal;
  }
}

INSTANTIATE_TEST_SUITE_P(
    BrokenPlugins, LoaderRefuses,
    ::testing::Values(
        Refusal{"wrong_major",
                {"built for ABI 2.", "this gateway speaks ABI 1.0", "rebuild the plugin"}},
        Refusal{"newer_minor", {"newer than this gateway's ABI 1.0", "upgrade the gateway"}},
        Refusal{"no_entry", {"exports no coregate_plugin_init symbol"}},
        Refusal{"null_descriptor", {"returned NULL"}},
        Refusal{"short_descriptor", {"descriptor is", "needs at least", "rebuild"}},
        Refusal{"not_elf", {"not a shared object"}},
        Refusal{"throwing_init",
                {"coregate_plugin_init threw", "throwing_init: coregate_plugin_init threw"}}),
    [](const auto& info) { return std::string(info.param.fixture); });

TEST(Loader, LoadsAHealthyPluginAndReadsItsDescriptor) {
  LoadResult result = load_plugin_library(testing::plugins_dir() / "libcoregate_testing.so");
  ASSERT_NE(result.library, nullptr) << result.refusal;
  EXPECT_EQ(result.library->name(), "testing");
  EXPECT_EQ(result.library->abi_major(), static_cast<uint32_t>(COREGATE_ABI_MAJOR));
  EXPECT_FALSE(result.library->version().empty());
  EXPECT_NE(result.library->build_signature().find("sdk "), std::string::npos);
  EXPECT_TRUE(result.library->can(CG_CAP_WRITE));
  EXPECT_TRUE(result.library->can(CG_CAP_PROBE));
  EXPECT_EQ(result.library->config_schema_json().front(), '{');
}

TEST(Loader, MissingFileIsARefusalNotACrash) {
  LoadResult result = load_plugin_library("/nonexistent/libcoregate_x.so");
  EXPECT_EQ(result.library, nullptr);
  EXPECT_FALSE(result.refusal.empty());
}

TEST(Loader, OnlyTheEntrySymbolIsExported) {
  // Hidden visibility: the SDK's template instantiations must not leak into the host's namespace.
  LoadResult result = load_plugin_library(testing::plugins_dir() / "libcoregate_testing.so");
  ASSERT_NE(result.library, nullptr);
  boost::dll::shared_library lib(
      testing::plugins_dir() / "libcoregate_testing.so",
      boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  EXPECT_TRUE(lib.has("coregate_plugin_init"));
  EXPECT_FALSE(lib.has("_ZN8coregate3sdk7Adapter5writeERKNS0_12WriteRequestE"));
}

}  // namespace
}  // namespace coregate::plugin_host
