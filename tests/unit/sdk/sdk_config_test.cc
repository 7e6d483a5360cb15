// AdapterConfig, the typed view of an adapter's config block: every accessor's error names the
// instance and the full key path, and nothing is silently coerced.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include <coregate/sdk/config.h>

#include "tests/unit/sdk/abi_test_host.h"

namespace coregate::testing {
namespace {

using sdk::AdapterConfig;
using sdk::ConfigError;

AdapterConfig make(std::string_view json, const cg_type_host* host = nullptr) {
  return AdapterConfig("core-a", boost::json::parse(json).as_object(), sdk::Host(host));
}

// The message of the ConfigError `f` throws, or "" when it does not throw.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(SdkConfig, ReadsEachType) {
  auto c = make(R"({"s": "x", "i": 7, "u": 18446744073709551615, "d": 2.5, "whole": 5.0,
                    "b": true, "o": {"k": 1}, "a": [1, "two"], "ss": ["p", "q"]})");
  EXPECT_EQ(c.string("s"), "x");
  EXPECT_EQ(c.string_or("missing", "dflt"), "dflt");
  EXPECT_EQ(c.integer("i"), 7);
  EXPECT_EQ(c.integer_or("missing", -3), -3);
  EXPECT_EQ(c.integer("whole"), 5) << "JSON Schema's integer accepts 5.0";
  EXPECT_EQ(c.number("d"), 2.5);
  EXPECT_EQ(c.number("i"), 7.0);
  EXPECT_EQ(c.number_or("missing", 1.5), 1.5);
  EXPECT_TRUE(c.boolean("b"));
  EXPECT_FALSE(c.boolean_or("missing", false));
  EXPECT_EQ(c.object("o").at("k").as_int64(), 1);
  EXPECT_EQ(c.array("a").size(), 2u);
  EXPECT_EQ(c.strings("ss"), (std::vector<std::string>{"p", "q"}));
  EXPECT_TRUE(c.has("s"));
  EXPECT_FALSE(c.has("nope"));
  EXPECT_EQ(c.instance_name(), "core-a");
}

TEST(SdkConfig, EveryAccessorErrorNamesInstanceAndKey) {
  auto c = make(R"({"s": 1, "i": "7", "d": 2.5, "u": 18446744073709551615, "b": "yes",
                    "o": [], "a": {}, "ss": ["p", 2], "n": "x"})");
  struct Case {
    std::function<void()> call;
    std::string message;
  };
  std::vector<Case> cases = {
      {[&] { (void)c.string("s"); }, "adapter 'core-a': config key 's' must be a string"},
      {[&] { (void)c.string("absent"); },
       "adapter 'core-a': missing config key 'absent' (expected a string)"},
      {[&] { (void)c.string_or("s", ""); }, "config key 's' must be a string"},
      {[&] { (void)c.integer("i"); }, "config key 'i' must be an integer"},
      {[&] { (void)c.integer("d"); }, "config key 'd' must be an integer"},
      {[&] { (void)c.integer("u"); }, "config key 'u' must be an integer"},
      {[&] { (void)c.integer_or("i", 0); }, "config key 'i' must be an integer"},
      {[&] { (void)c.number("n"); }, "config key 'n' must be a number"},
      {[&] { (void)c.number_or("n", 0); }, "config key 'n' must be a number"},
      {[&] { (void)c.boolean("b"); }, "config key 'b' must be true or false"},
      {[&] { (void)c.boolean_or("b", true); }, "config key 'b' must be true or false"},
      {[&] { (void)c.object("o"); }, "config key 'o' must be an object"},
      {[&] { (void)c.object("absent"); }, "missing config key 'absent' (expected an object)"},
      {[&] { (void)c.array("a"); }, "config key 'a' must be an array"},
      {[&] { (void)c.strings("ss"); }, "config key 'ss' must be an array of strings"},
      {[&] { (void)c.section("o"); }, "config key 'o' must be an object"},
  };
  for (const auto& k : cases) {
    std::string message = error_of(k.call);
    EXPECT_NE(message.find(k.message), std::string::npos) << "got: " << message;
    EXPECT_EQ(message.rfind("adapter 'core-a': ", 0), 0u) << message;
  }
}

TEST(SdkConfig, RangesAreCheckedAndStated) {
  auto c = make(R"({"port": 70000, "ok": 80})");
  EXPECT_EQ(c.integer_in("ok", 1, 65535), 80);
  EXPECT_EQ(c.integer_in_or("missing", 1, 65535, 443), 443);
  EXPECT_EQ(error_of([&] { (void)c.integer_in("port", 1, 65535); }),
            "adapter 'core-a': config key 'port' must be an integer from 1 to 65535");
}

TEST(SdkConfig, SectionErrorsNameTheFullPath) {
  auto c = make(R"({"faults": {"write": {"rate": "high"}, "rules": [{"fault": "x"}, 3]}})");
  auto faults = c.section("faults");
  EXPECT_EQ(faults.path(), "faults");
  EXPECT_EQ(error_of([&] { (void)faults.section("write").number("rate"); }),
            "adapter 'core-a': config key 'faults.write.rate' must be a number");
  EXPECT_EQ(error_of([&] { (void)faults.sections("rules"); }),
            "adapter 'core-a': config key 'faults.rules[1]' must be an object");
  auto one = make(R"({"rules": [{"fault": 1}]})").sections("rules");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(error_of([&] { (void)one[0].string("fault"); }),
            "adapter 'core-a': config key 'rules[0].fault' must be a string");
  EXPECT_EQ(error_of([&] { throw faults.error("write", "sensible"); }),
            "adapter 'core-a': config key 'faults.write' must be sensible");
}

TEST(SdkConfig, UnknownKeysAreRefusedWithAHint) {
  auto c = make(R"({"latency_ms": 1, "jiter_ms": 2})");
  EXPECT_EQ(error_of([&] {
              c.expect_only({"latency_ms", "jitter_ms"});
            }),
            "adapter 'core-a': unknown config key 'jiter_ms' (did you mean 'jitter_ms'?)");
  auto far = make(R"({"zzzzzz": 1})");
  EXPECT_EQ(error_of([&] { far.expect_only({"latency_ms"}); }),
            "adapter 'core-a': unknown config key 'zzzzzz'");
  auto nested = make(R"({"faults": {"wirte": {}}})").section("faults");
  EXPECT_EQ(error_of([&] {
              nested.expect_only({"write", "probe"});
            }),
            "adapter 'core-a': unknown config key 'faults.wirte' (did you mean 'write'?)");
  EXPECT_EQ(error_of([&] { c.expect_only({"latency_ms", "jiter_ms"}); }), "");
}

TEST(SdkConfig, SecretsResolveThroughTheHostAndFailuresNameTheKeyNotTheValue) {
  TestHost host;
  host.set_secret("${env:DB_PASSWORD}", "hunter2");
  auto c = make(R"({"password": "${env:DB_PASSWORD}", "literal": "plain",
                    "missing": "${env:NOPE}"})",
                host.table());
  EXPECT_EQ(c.secret("password"), "hunter2");
  EXPECT_EQ(c.secret("literal"), "plain");
  std::string message = error_of([&] { (void)c.secret("missing"); });
  EXPECT_EQ(message, "adapter 'core-a': config key 'missing': no such secret");
  EXPECT_EQ(message.find("hunter2"), std::string::npos);
  // A host without a secret callback refuses instead of crashing.
  auto no_host = make(R"({"password": "${env:DB_PASSWORD}"})");
  EXPECT_NE(error_of([&] { (void)no_host.secret("password"); }).find("offers no secret look-up"),
            std::string::npos);
}

}  // namespace
}  // namespace coregate::testing
