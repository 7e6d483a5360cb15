#include "gateway/plugin_host/adapter_instance.h"

#include <gtest/gtest.h>

#include "gateway/plugin_host/plugin_catalog.h"
#include "tests/unit/gateway/plugin_host/fixture_paths.h"

namespace coregate::plugin_host {
namespace {

std::shared_ptr<const PluginLibrary> load(const std::filesystem::path& file) {
  LoadResult r = load_plugin_library(file);
  EXPECT_NE(r.library, nullptr) << file << ": " << r.refusal;
  return r.library;
}

TEST(AdapterInstance, ThrowingCreateThroughTheSdkBecomesAnErrorWithItsMessage) {
  auto lib = load(testing::broken("throwing_create"));
  ASSERT_NE(lib, nullptr);
  CreateResult r = AdapterInstance::create(lib, "x", "{}", default_host_services());
  EXPECT_EQ(r.adapter, nullptr);
  EXPECT_NE(r.error.find("create"), std::string::npos) << r.error;
  EXPECT_GT(r.error.size(), std::string("create hook: ").size()) << r.error;
}

TEST(AdapterInstance, RawPluginThrowingAcrossTheCAbiIsCaughtByTheHost) {
  auto lib = load(testing::broken("raw_throwing_create"));
  ASSERT_NE(lib, nullptr);
  CreateResult r = AdapterInstance::create(lib, "x", "{}", default_host_services());
  EXPECT_EQ(r.adapter, nullptr);
  EXPECT_NE(r.error.find("escape across the C ABI"), std::string::npos) << r.error;
}

TEST(AdapterInstance, FailingCreateCarriesThePluginsMessage) {
  auto lib = load(testing::broken("failing_create"));
  ASSERT_NE(lib, nullptr);
  CreateResult r = AdapterInstance::create(lib, "x", "{}", default_host_services());
  EXPECT_EQ(r.adapter, nullptr);
  EXPECT_NE(r.error.find("create hook: "), std::string::npos) << r.error;
}

TEST(AdapterInstance, WritesProbesAndReportsHealthThroughTheRealAbi) {
  auto lib = load(testing::plugins_dir() / "libcoregate_testing.so");
  ASSERT_NE(lib, nullptr);
  CreateResult r = AdapterInstance::create(lib, "core", "{}", default_host_services());
  ASSERT_NE(r.adapter, nullptr) << r.error;
  const AdapterInstance& a = *r.adapter;
  EXPECT_EQ(a.name(), "core");
  WriteCall call{"key-1", "out-1", "account.note_added", "acct-1", R"({"note": "hello"})", 1, 0};
  sdk::WriteResult first = a.write(call);
  EXPECT_EQ(first.write_class, sdk::WriteClass::kApplied) << first.diagnostic;
  EXPECT_FALSE(first.reference.empty());
  sdk::WriteResult again = a.write(call);
  EXPECT_EQ(again.write_class, sdk::WriteClass::kAlreadyApplied);
  EXPECT_EQ(again.reference, first.reference);
  sdk::ProbeResult found = a.probe({"key-1", "out-1", "account.note_added", "acct-1", R"({})", 0});
  EXPECT_EQ(found.state, sdk::ProbeState::kApplied);
  EXPECT_EQ(found.reference, first.reference);
  EXPECT_EQ(a.probe({"key-unknown", "out-2", "t", "s", "", 0}).state, sdk::ProbeState::kNotFound);
  EXPECT_EQ(a.health(0).state, sdk::HealthState::kHealthy);
}

TEST(AdapterInstance, LibraryStaysLoadedWhileTheAdapterLives) {
  std::unique_ptr<AdapterInstance> adapter;
  {
    auto catalog = PluginCatalog::discover({testing::plugins_dir()});
    auto lib = catalog.find("testing");
    ASSERT_NE(lib, nullptr);
    CreateResult r = AdapterInstance::create(lib, "core", "{}", default_host_services());
    ASSERT_NE(r.adapter, nullptr) << r.error;
    adapter = std::move(r.adapter);
  }  // the catalog and every other reference to the library are gone here
  EXPECT_EQ(adapter->health(0).state, sdk::HealthState::kHealthy);
  EXPECT_EQ(adapter->plugin().name(), "testing");
}

TEST(AdapterInstance, MalformedRecordBecomesAnAmbiguousResultNotACrash) {
  auto lib = load(testing::plugins_dir() / "libcoregate_testing.so");
  ASSERT_NE(lib, nullptr);
  CreateResult r = AdapterInstance::create(lib, "core", "{}", default_host_services());
  ASSERT_NE(r.adapter, nullptr) << r.error;
  sdk::WriteResult w = r.adapter->write({"k", "o", "t", "s", "{not json", 1, 0});
  EXPECT_EQ(w.write_class, sdk::WriteClass::kAmbiguous);
  EXPECT_NE(w.diagnostic.find("write"), std::string::npos) << w.diagnostic;
}

TEST(AdapterInstance, MissingCapabilityIsAnsweredByTheHost) {
  auto lib = load(testing::broken("minimal"));
  ASSERT_NE(lib, nullptr);
  CreateResult r = AdapterInstance::create(lib, "m", "{}", default_host_services());
  ASSERT_NE(r.adapter, nullptr) << r.error;
  ASSERT_FALSE(r.adapter->can(CG_CAP_POLL)) << "the minimal fixture must not declare poll";
  PollOutcome p = r.adapter->poll({"src", "", 10, 0});
  EXPECT_FALSE(p.ok);
  EXPECT_NE(p.error.find("has no poll capability"), std::string::npos) << p.error;
}

}  // namespace
}  // namespace coregate::plugin_host
