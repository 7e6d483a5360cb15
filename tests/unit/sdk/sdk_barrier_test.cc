// The SDK's exception barrier: an exception escaping any hook (create, write, probe, poll,
// inbound, health), of any kind, becomes CG_STATUS_ERROR with "<hook>: <message>" in the hook's
// error or diagnostic buffer, and never unwinds into the host.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <coregate/sdk/plugin.h>

#include "tests/unit/sdk/abi_test_host.h"

extern "C" const cg_type_plugin_descriptor* coregate_plugin_init(void);

namespace coregate::testing {
namespace {

struct Thrown {
  std::string kind;     // throw_kind in the scripted adapter's config
  std::string message;  // what the buffer must carry after "<hook>: "
};

const std::vector<Thrown> kKinds = {
    {"std", "disk on fire"},
    {"string", "std::string failure"},
    {"cstr", "c string failure"},
    {"int", "unknown exception (not derived from std::exception)"},
};

const std::vector<std::string> kHooks = {"create", "write", "probe", "poll", "inbound", "health"};

// Runs `hook` on an adapter scripted to throw `kind` there; returns (status, buffer text).
std::pair<cg_type_status, std::string> run(const std::string& hook, const Thrown& kind) {
  TestHost host;
  std::string config = R"({"throw_in": ")" + hook + R"(", "throw_kind": ")" + kind.kind +
                       R"(", "message": "disk on fire"})";
  AdapterHandle adapter(coregate_plugin_init(), host, config);
  if (hook == "create") return {adapter.create_status(), adapter.error()};
  EXPECT_TRUE(adapter.ok()) << adapter.error();
  if (hook == "write") {
    auto o = adapter.write("k");
    EXPECT_EQ(o.write_class, CG_WRITE_AMBIGUOUS) << "the host's default stays";
    EXPECT_TRUE(o.reference.empty());
    return {o.status, o.diagnostic};
  }
  if (hook == "probe") {
    auto o = adapter.probe("landed");
    EXPECT_EQ(o.state, CG_PROBE_UNKNOWN);
    return {o.status, o.diagnostic};
  }
  if (hook == "poll") {
    auto o = adapter.poll("s", "c", 3);
    EXPECT_TRUE(o.next_cursor.empty()) << "no cursor on failure";
    return {o.status, o.diagnostic};
  }
  if (hook == "inbound") {
    auto o = adapter.inbound("x");
    return {o.status, o.diagnostic};
  }
  auto o = adapter.health();
  return {o.status, o.detail};
}

TEST(SdkBarrier, EveryHookTurnsEveryKindOfExceptionIntoAnErrorWithItsMessage) {
  for (const auto& hook : kHooks) {
    for (const auto& kind : kKinds) {
      auto [status, text] = run(hook, kind);
      EXPECT_EQ(status, CG_STATUS_ERROR) << hook << "/" << kind.kind;
      EXPECT_EQ(text, hook + ": " + kind.message) << hook << "/" << kind.kind;
    }
  }
}

TEST(SdkBarrier, AHookThatDoesNotThrowReportsOk) {
  // The control case: the same script aimed at another hook leaves this one working.
  for (const auto& hook : kHooks) {
    std::string other = hook == "write" ? "probe" : "write";
    TestHost host;
    AdapterHandle adapter(coregate_plugin_init(), host, R"({"throw_in": ")" + other + R"("})");
    if (hook == "create") {
      EXPECT_TRUE(adapter.ok()) << adapter.error();
      continue;
    }
    ASSERT_TRUE(adapter.ok()) << adapter.error();
    cg_type_status status = hook == "write"     ? adapter.write("k").status
                            : hook == "probe"   ? adapter.probe("landed").status
                            : hook == "poll"    ? adapter.poll("s", "", 1).status
                            : hook == "inbound" ? adapter.inbound("x").status
                                                : adapter.health().status;
    EXPECT_EQ(status, CG_STATUS_OK) << hook;
  }
}

TEST(SdkBarrier, ANullErrorBufferStillYieldsTheStatus) {
  // A host may pass no error buffer; the barrier must not dereference it.
  TestHost host;
  const cg_type_hooks* hooks = coregate_plugin_init()->hooks;
  cg_type_adapter* adapter = reinterpret_cast<cg_type_adapter*>(0x1);
  std::string config = R"({"throw_in": "create"})";
  EXPECT_EQ(hooks->cg_on_create(host.table(), bytes("x"), bytes(config), &adapter, nullptr),
            CG_STATUS_ERROR);
  EXPECT_EQ(adapter, nullptr);
}

}  // namespace
}  // namespace coregate::testing
