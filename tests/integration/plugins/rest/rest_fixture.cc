#include "tests/integration/plugins/rest/rest_fixture.h"

#include <unistd.h>
#include <atomic>
#include <chrono>

#include "gateway/config/config_node.h"
#include "gateway/plugin_host/plugin_catalog.h"

namespace coregate::testing::rest {
namespace json = boost::json;

const char* class_name(sdk::WriteClass c) {
  switch (c) {
    case sdk::WriteClass::kApplied:
      return "APPLIED";
    case sdk::WriteClass::kAlreadyApplied:
      return "ALREADY_APPLIED";
    case sdk::WriteClass::kRetryable:
      return "RETRYABLE";
    case sdk::WriteClass::kRejected:
      return "REJECTED";
    case sdk::WriteClass::kAmbiguous:
      return "AMBIGUOUS";
  }
  return "?";
}

TestHostServices::TestHostServices(const std::string& credentials_json)
    : registry_(credentials::CredentialRegistry::from_config(
          config::ConfigNode(std::make_shared<const json::value>(
                                 json::object{{"credentials", json::parse(credentials_json)}}),
                             "test.json"))) {}

sdk::Fetched TestHostServices::credentials(std::string_view, std::string_view provider,
                                           bool force_refresh) {
  return registry_.get(provider, force_refresh);
}

Shared& shared() {
  static Shared* s = [] {
    auto* out = new Shared;
    out->dir =
        std::filesystem::temp_directory_path() / ("coregate-rest-it-" + std::to_string(::getpid()));
    std::filesystem::create_directories(out->dir);
    auto catalog = plugin_host::PluginCatalog::discover(
        {std::filesystem::path(COREGATE_BINARY_DIR) / "plugins"});
    out->plugin = catalog.find("rest");
    if (!out->plugin) throw std::runtime_error("libcoregate_rest.so not found in build/plugins");
    out->faults = std::make_unique<NodePeer>("fault_target.js", std::vector<std::string>{},
                                             out->dir / "faults");
    out->certs = std::make_unique<TestCertificates>(out->dir / "certs");
    return out;
  }();
  return *s;
}

namespace {
// Stops the shared peers and removes the scratch folder when the binary ends.
class SharedEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    auto& s = shared();
    s.faults.reset();
    std::error_code ec;
    std::filesystem::remove_all(s.dir, ec);
  }
};
[[maybe_unused]] auto* const shared_environment =
    ::testing::AddGlobalTestEnvironment(new SharedEnvironment);
}  // namespace

std::unique_ptr<plugin_host::AdapterInstance> RestTest::adapter(
    const json::object& config, plugin_host::HostServices* services) {
  auto created = plugin_host::AdapterInstance::create(
      shared().plugin, "crm", json::serialize(config), services ? *services : services_);
  EXPECT_TRUE(created.adapter) << created.error;
  return std::move(created.adapter);
}

std::string RestTest::create_error(const json::object& config) {
  auto created = plugin_host::AdapterInstance::create(shared().plugin, "crm",
                                                      json::serialize(config), services_);
  return created.adapter ? "" : created.error;
}

int64_t RestTest::now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

sdk::WriteResult RestTest::write(plugin_host::AdapterInstance& a, const json::object& record,
                                 const std::string& key, int64_t deadline_ms,
                                 const std::string& outcome_type) {
  static std::atomic<int> counter{0};
  std::string k = key.empty() ? "key-" + std::to_string(++counter) : key;
  std::string text = json::serialize(record);
  plugin_host::WriteCall call;
  call.idempotency_key = k;
  call.outcome_id = "o-" + k;
  call.outcome_type = outcome_type;
  call.subject = "A1";
  call.record_json = text;
  call.deadline_unix_ms = now_ms() + deadline_ms;
  return a.write(call);
}

}  // namespace coregate::testing::rest
