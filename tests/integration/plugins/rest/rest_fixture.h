// Shared fixture of the REST integration suite: the real libcoregate_rest.so loaded by the
// gateway's own plugin host (PluginCatalog / AdapterInstance), host services whose credentials
// come from the real credential providers (gateway/credentials), and peers started once per binary.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "gateway/credentials/credential_registry.h"
#include "gateway/plugin_host/adapter_instance.h"
#include "gateway/plugin_host/host_services.h"
#include "tests/integration/plugins/rest/rest_peers.h"

namespace coregate::testing::rest {

const char* class_name(sdk::WriteClass c);

// HostServices over a CredentialRegistry built from a "credentials" JSON object.
class TestHostServices : public plugin_host::DefaultHostServices {
 public:
  explicit TestHostServices(const std::string& credentials_json = "{}");
  sdk::Fetched credentials(std::string_view adapter, std::string_view provider,
                           bool force_refresh) override;

 private:
  credentials::CredentialRegistry registry_;
};

// Everything started once per binary: a scratch folder, the fault target, the plugin.
struct Shared {
  std::filesystem::path dir;
  std::shared_ptr<const plugin_host::PluginLibrary> plugin;
  std::unique_ptr<NodePeer> faults;  // plain HTTP fault_target.js
  std::unique_ptr<TestCertificates> certs;
};
Shared& shared();

class RestTest : public ::testing::Test {
 protected:
  // A new adapter over `config` (a JSON object); fails the test when create fails.
  std::unique_ptr<plugin_host::AdapterInstance> adapter(
      const boost::json::object& config, plugin_host::HostServices* services = nullptr);
  // Why create refused `config` ("" when it succeeded).
  std::string create_error(const boost::json::object& config);

  sdk::WriteResult write(plugin_host::AdapterInstance& a, const boost::json::object& record,
                         const std::string& key = "", int64_t deadline_ms = 10000,
                         const std::string& outcome_type = "arrangement.promise_to_pay");
  static int64_t now_ms();
  std::string fault_url() const { return shared().faults->url(); }

  TestHostServices services_;
};

}  // namespace coregate::testing::rest
