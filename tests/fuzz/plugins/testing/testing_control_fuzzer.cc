// Fuzzes the testing adapter's run-time control path: arbitrary bytes arrive as an inbound request
// body (the same parser and settings code a control file goes through). Whatever the input, the
// hook must return through the SDK barrier with a reply: no crash, no sanitizer report, no hang.
// Only inbound is called, so an injected hang or latency can never stall the fuzzer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <coregate/sdk/plugin.h>

#include "plugins/testing/config_schema.h"
#include "plugins/testing/testing_adapter.h"
#include "tests/unit/sdk/abi_test_host.h"

namespace {

using Shim = coregate::sdk::detail::PluginShim<coregate::plugins::testing::TestingAdapter>;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static coregate::testing::TestHost host;
  // The test host keeps every log line; a long run would grow without bound, so drop them.
  static const bool quiet = (host.mutable_table()->cg_cb_log = nullptr, true);
  (void)quiet;
  static const cg_type_plugin_descriptor* descriptor = Shim::descriptor(
      "testing", "fuzz", CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_INBOUND | CG_CAP_HEALTH,
      coregate::plugins::testing::kTestingConfigSchema);
  static coregate::testing::AdapterHandle adapter(descriptor, host, R"({"keep_records": false})");
  std::string_view body(reinterpret_cast<const char*>(data), size);
  coregate::testing::InboundOutcome reply = adapter.inbound(body);
  if (reply.status == CG_STATUS_OK && reply.reply_status == 0) __builtin_trap();  // always answers
  // The same bytes wrapped as a control document reach the settings parser even when they are
  // not a complete command themselves.
  std::string wrapped = "{\"control\": " + std::string(body) + "}";
  (void)adapter.inbound(wrapped);
  return 0;
}
