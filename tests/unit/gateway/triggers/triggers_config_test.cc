#include "gateway/triggers/triggers_config.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "gateway/config/config_error.h"
#include "gateway/mapping/mapping.h"
#include "gateway/schema/schema_registry.h"
#include "gateway/triggers/source_rules.h"

namespace coregate::triggers {
namespace {

const std::string kSource = COREGATE_SOURCE_DIR;

config::ConfigNode root_of(const std::string& json) {
  return config::ConfigNode(std::make_shared<const boost::json::value>(boost::json::parse(json)),
                            "gateway.json");
}

TEST(TriggersConfig, ReadsSourcesConsumersStreamAndSubscriptions) {
  auto root = root_of(R"({"triggers": {
    "sources": {"poll": {"returns": {"adapter": "core", "interval": "250ms", "batch_size": 50,
                                     "type": "payment.failed", "natural_key": ["order_ref"]}},
                "inbound": {"crm_events": {"adapter": "crm", "type": "payment.failed"}}},
    "consumers": {"visibility_timeout": "10s", "groups": {"billing": {"visibility_timeout": "1m"}}},
    "stream": {"heartbeat": "5s"},
    "subscriptions": {"wf": {"url": "http://127.0.0.1:9/h", "secret": "0123456789abcdef",
                             "types": ["coregate.trigger.payment.failed"],
                             "retry": {"max_attempts": 3}}}}})");
  const auto config = triggers_config_from(root, "/var/coregate/store.db");
  EXPECT_EQ(config.store_path, "/var/coregate/triggers.db");
  ASSERT_EQ(config.poll_sources.size(), 1u);
  EXPECT_EQ(config.poll_sources[0].poll_source, "returns");
  EXPECT_EQ(config.poll_sources[0].interval, std::chrono::milliseconds(250));
  EXPECT_EQ(config.poll_sources[0].batch_size, 50u);
  EXPECT_EQ(config.poll_sources[0].rules.subject, "/account/account_id");
  ASSERT_NE(config.inbound_for("crm"), nullptr);
  EXPECT_EQ(config.inbound_for("core"), nullptr);
  EXPECT_EQ(config.visibility_timeout("billing"), std::chrono::minutes(1));
  EXPECT_EQ(config.visibility_timeout("other"), std::chrono::seconds(10));
  EXPECT_EQ(config.heartbeat, std::chrono::seconds(5));
  ASSERT_EQ(config.subscriptions.size(), 1u);
  EXPECT_TRUE(config.subscriptions[0].wants("coregate.trigger.payment.failed"));
  EXPECT_FALSE(config.subscriptions[0].wants("coregate.outcome.applied"));
  EXPECT_EQ(config.subscriptions[0].retry.max_attempts, 3u);
}

TEST(TriggersConfig, RefusesMistakesNamingTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"triggers": {"sourcse": {}}})", "sourcse"},
      {R"({"triggers": {"sources": {"poll": {"r": {"adapter": "a", "type": "t"}}}}})",
       "natural_key"},
      {R"({"triggers": {"sources": {"poll": {"r": {"adapter": "a", "type": "t", "natural_key": ["k"], "batch_size": 0}}}}})",
       "batch_size"},
      {R"({"triggers": {"sources": {"inbound": {"a": {"adapter": "x", "type": "t"}, "b": {"adapter": "x", "type": "t"}}}}})",
       "adapter"},
      {R"({"triggers": {"subscriptions": {"w": {"url": "ftp://x", "secret": "0123456789abcdef"}}}})",
       "url"},
      {R"({"triggers": {"subscriptions": {"w": {"url": "http://x", "secret": "short"}}}})",
       "secret"},
      {R"({"triggers": {"consumers": {"groups": {"-bad": {"visibility_timeout": "1s"}}}}})",
       "-bad"},
  };
  for (const auto& [json, key] : cases) {
    try {
      (void)triggers_config_from(root_of(json), "store.db");
      ADD_FAILURE() << "accepted: " << json;
    } catch (const config::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}

TEST(TriggersConfig, TheCheckNamesAnUnknownAdapterMappingOrType) {
  schema::SchemaRegistry schemas;
  schemas.load_directory(kSource + "/schemas");
  mapping::CompileOptions options;
  options.schemas = &schemas;
  mapping::MappingRegistry mappings(options);
  mappings.load_directory(kSource + "/tests/integration/triggers/mappings");
  auto configured = [](std::string_view name) { return name == "core"; };
  auto check = [&](const std::string& source) {
    check_triggers_config(root_of(R"({"triggers": {"sources": {"poll": {"r": )" + source + "}}}}"),
                          "store.db", configured, mappings, kSource + "/schemas");
  };
  EXPECT_NO_THROW(check(R"({"adapter": "core", "type": "payment.failed", "natural_key": ["k"],
                            "mapping": "payment_failed.debit_return_row"})"));
  const std::pair<std::string, const char*> bad[] = {
      {R"({"adapter": "cor", "type": "payment.failed", "natural_key": ["k"]})", "adapter"},
      {R"({"adapter": "core", "type": "payment.faild", "natural_key": ["k"]})", "payment.failed"},
      {R"({"adapter": "core", "type": "payment.failed", "natural_key": ["k"], "mapping": "nope"})",
       "mapping"},
  };
  for (const auto& [source, word] : bad) {
    try {
      check(source);
      ADD_FAILURE() << "accepted: " << source;
    } catch (const config::ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(word), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("triggers.sources.poll.r"), std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace coregate::triggers
