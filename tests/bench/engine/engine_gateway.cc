#include "tests/bench/engine/engine_gateway.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sstream>

#include "tests/bench/support/gateway_process.h"
#include "tests/bench/support/http_get.h"

namespace coregate::bench {

namespace json = boost::json;

std::string engine_config_json(const EngineScenario& s) {
  json::object testing = s.testing;
  if (!testing.contains("keep_records")) testing["keep_records"] = false;  // long runs: flat memory
  if (!testing.contains("inbound_control")) testing["inbound_control"] = false;

  // The engine keys of examples/testing/coregate.json, then the scenario's overrides.
  json::object adapter{
      {"plugin", "testing"},
      {"config", std::move(testing)},
      {"concurrency", s.adapter_concurrency},
      {"retry",
       json::object{
           {"max_attempts", 8}, {"base_delay", "200ms"}, {"max_delay", "10s"}, {"max_age", "1h"}}},
      {"breaker", json::object{{"consecutive_failures", 5}, {"open_for", "5s"}}},
      {"dedups_by_key", true}};
  for (const auto& [key, value] : s.adapter_overrides) adapter[key] = value;

  json::object root{
      {"listen", "127.0.0.1:0"},
      {"log", json::object{{"level", "warn"}}},
      {"http", json::object{{"threads", s.http_threads}}},
      {"store", json::object{{"backend", "sqlite"}, {"path", (s.directory / "store.db").string()}}},
      {"intake", json::object{{"schemas", bench_schema_directory().string()}, {"backlog", 65536}}},
      {"auth",
       json::object{{"tokens", json::array{json::object{{"name", "bench"},
                                                        {"token_env", "COREGATE_TOKEN"},
                                                        {"scopes", json::array{"admin"}}}}}}},
      {"adapters", json::object{{"core", std::move(adapter)}}}};
  if (s.plans) root["plans"] = json::object{{"*", json::array{json::object{{"adapter", "core"}}}}};
  return json::serialize(root);
}

std::optional<AdapterFigures> read_adapter(uint16_t port, const std::string& name) {
  const HttpAnswer answer = http_get("127.0.0.1", port, "/v1/adapters/" + name, kBenchToken);
  if (answer.status != 200) return std::nullopt;
  boost::system::error_code ec;
  const json::value doc = json::parse(answer.body, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const json::object& o = doc.as_object();
  const auto number = [](const json::value* v) -> double {
    if (v == nullptr) return 0;
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    if (v->is_uint64()) return static_cast<double>(v->as_uint64());
    if (v->is_double()) return v->as_double();
    return 0;
  };
  const auto text = [](const json::value* v) {
    return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
  };
  AdapterFigures f;
  if (const json::value* counts = o.if_contains("counts"); counts && counts->is_object()) {
    const json::object& c = counts->as_object();
    f.applied = static_cast<uint64_t>(number(c.if_contains("applied")));
    f.failed = static_cast<uint64_t>(number(c.if_contains("failed")));
    f.retries = static_cast<uint64_t>(number(c.if_contains("retries")));
  }
  f.queue_depth = static_cast<uint64_t>(number(o.if_contains("queue_depth")));
  f.in_flight = static_cast<uint64_t>(number(o.if_contains("in_flight")));
  f.oldest_pending_age_seconds = number(o.if_contains("oldest_pending_age_seconds"));
  f.state = text(o.if_contains("state"));
  if (const json::value* breaker = o.if_contains("breaker"); breaker && breaker->is_object())
    f.breaker = text(breaker->as_object().if_contains("state"));
  return f;
}

std::optional<double> read_metric(uint16_t port, const std::string& family) {
  const HttpAnswer answer = http_get("127.0.0.1", port, "/metrics", kBenchToken);
  if (answer.status != 200) return std::nullopt;
  std::istringstream lines(answer.body);
  std::string line;
  bool found = false;
  double sum = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.rfind(family, 0) != 0) continue;
    const char next = line.size() > family.size() ? line[family.size()] : '\0';
    if (next != ' ' && next != '{') continue;  // a longer name with the same prefix
    const size_t space = line.rfind(' ');
    sum += std::stod(line.substr(space + 1));
    found = true;
  }
  if (!found) return std::nullopt;
  return sum;
}

}  // namespace coregate::bench
