// Shared set-up for the writeback engine's integration tests: the real `coregate serve` with the
// testing adapter (file-backed journal, control file), three tokens, and helpers that post
// outcomes, page through the APIs, read the adapter's journal and query the store file with the
// sqlite3 CLI after the gateway has stopped.
#pragma once

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/intake/gateway_process.h"
#include "tests/integration/intake/test_client.h"
#include "tests/support/child_process.h"

// Engine keys for a breaker that never opens (for tests about something else). A macro so it
// can be spliced into string literals.
#define COREGATE_TEST_NO_BREAKER                                                            \
  "\"breaker\": {\"consecutive_failures\": 100000, \"window\": 100000, \"minimum_calls\": " \
  "100000}"

namespace coregate::testing::engine_it {

namespace json = boost::json;
using boost::beast::http::verb;

// "workflow" comes from COREGATE_TOKEN (outcomes:write, outcomes:read); "operator" may manage
// exceptions; "reader" may only read (so the exception API must answer it 403).
inline constexpr const char* kWorkflowToken = "engine-workflow-token-0123456789";
inline constexpr const char* kOperatorToken = "engine-operator-token-0123456789";
inline constexpr const char* kReaderToken = "engine-reader-token-0123456789";

// The causes DESIGN §4 / engine_records.h document for the exception queue.
inline const std::set<std::string>& documented_causes() {
  static const std::set<std::string> causes{"rejected", "retries_exhausted", "max_age_exceeded",
                                            "ambiguous_unresolved", "mapping_failed"};
  return causes;
}

inline std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

inline std::filesystem::path fresh_temp_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("coregate-engine-" + name + "-" + std::to_string(getpid()) + "-" +
              std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A gateway config whose plan writes every type to `adapters` in order, each a testing adapter
// with its own "config" object; `engine_keys` are the engine's keys of every adapter block
// (concurrency, retry, breaker, ...), as JSON members without the braces.
inline std::string plan_config(const std::filesystem::path& dir,
                               const std::vector<std::pair<std::string, json::object>>& adapters,
                               const std::string& engine_keys) {
  const std::string schemas =
      std::string(COREGATE_SOURCE_DIR) + "/tests/integration/intake/schemas";
  std::string adapter_blocks;
  std::string plan;
  for (const auto& [name, testing_config] : adapters) {
    if (!plan.empty()) {
      adapter_blocks += ",\n    ";
      plan += ", ";
    }
    adapter_blocks += "\"" + name + "\": {\"plugin\": \"testing\", \"config\": " +
                      json::serialize(testing_config) + ",\n      " + engine_keys + "}";
    plan += "{\"adapter\": \"" + name + "\"}";
  }
  return std::string("{\n") +
         "  \"listen\": \"127.0.0.1:0\",\n"
         "  \"log\": {\"level\": \"info\"},\n"
         "  \"http\": {\"threads\": 2},\n"
         "  \"store\": {\"backend\": \"sqlite\", \"path\": \"" +
         (dir / "store.db").string() +
         "\"},\n"
         "  \"intake\": {\"schemas\": \"" +
         schemas +
         "\"},\n"
         "  \"auth\": {\"tokens\": [\n"
         "    {\"name\": \"workflow\", \"token_env\": \"COREGATE_TOKEN\", \"scopes\": "
         "[\"outcomes:write\", \"outcomes:read\"]},\n"
         "    {\"name\": \"operator\", \"sha256\": \"" +
         sha256_hex(kOperatorToken) +
         "\", \"scopes\": [\"exceptions:manage\", \"outcomes:read\"]},\n"
         "    {\"name\": \"reader\", \"sha256\": \"" +
         sha256_hex(kReaderToken) +
         "\", \"scopes\": [\"outcomes:read\"]}\n"
         "  ]},\n"
         "  \"adapters\": {\n    " +
         adapter_blocks +
         "},\n"
         "  \"plans\": {\"*\": [" +
         plan +
         "]}\n"
         "}\n";
}

// The usual case: one testing adapter "core" that every type is planned to.
inline std::string engine_config(const std::filesystem::path& dir,
                                 const json::object& testing_config,
                                 const std::string& engine_keys) {
  return plan_config(dir, {std::pair<std::string, json::object>("core", testing_config)},
                     engine_keys);
}

inline std::vector<std::string> workflow_env() {
  return {std::string("COREGATE_TOKEN=") + kWorkflowToken};
}

inline std::string promise_body(const std::string& subject, const std::string& amount,
                                const std::string& note = "") {
  json::object data{{"amount", amount}, {"currency", "ZAR"}, {"due_date", "2026-12-01"}};
  if (!note.empty()) data["note"] = note;
  return json::serialize(json::object{
      {"type", "arrangement.promise_to_pay"}, {"subject", subject}, {"data", std::move(data)}});
}

inline Reply post_outcome(TestClient& client, const std::string& key, const std::string& body) {
  return client.request(verb::post, "/v1/outcomes", body,
                        {{"Authorization", std::string("Bearer ") + kWorkflowToken},
                         {"Content-Type", "application/json"},
                         {"Idempotency-Key", "\"" + key + "\""}});
}

// A request with a bearer token (none when `token` is null).
inline Reply call(TestClient& client, verb method, const std::string& target, const char* token,
                  const std::string& body = "") {
  std::map<std::string, std::string> headers;
  if (token != nullptr) headers["Authorization"] = std::string("Bearer ") + token;
  if (method == verb::post) headers["Content-Type"] = "application/json";
  return client.request(method, target, body, headers);
}

// Follows next_cursor through every page of a list endpoint; throws on a non-200 answer.
inline std::vector<json::object> list_all(uint16_t port, const std::string& path_and_query,
                                          const char* token, int page_size = 200) {
  TestClient client(port);
  std::vector<json::object> items;
  std::string cursor;
  const char separator = path_and_query.find('?') == std::string::npos ? '?' : '&';
  for (;;) {
    const std::string target = path_and_query + separator + "limit=" + std::to_string(page_size) +
                               (cursor.empty() ? "" : "&cursor=" + cursor);
    Reply reply = call(client, verb::get, target, token);
    if (reply.status != 200) {
      throw std::runtime_error("GET " + target + " answered " + std::to_string(reply.status) +
                               ": " + reply.body);
    }
    auto page = reply.json().as_object();
    for (auto& item : page["items"].as_array()) items.push_back(item.as_object());
    const auto* next = page.if_contains("next_cursor");
    if (next == nullptr || next->is_null()) return items;
    cursor = std::string(next->as_string());
  }
}

// Polls `ready` every 20 ms until it holds or `limit` passes.
inline bool eventually(const std::function<bool()>& ready,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ready();
}

inline std::string outcome_status(uint16_t port, const std::string& id) {
  TestClient client(port);
  Reply reply = call(client, verb::get, "/v1/outcomes/" + id, kWorkflowToken);
  if (reply.status != 200) return "http-" + std::to_string(reply.status);
  return std::string(reply.json().at("status").as_string());
}

// Replaces the testing adapter's control file atomically (write, then rename), as its schema asks.
inline void write_control(const std::filesystem::path& file, const json::object& control) {
  static std::atomic<int> counter{0};
  const auto temp = file.string() + ".tmp" + std::to_string(counter++);
  {
    std::ofstream out(temp);
    out << json::serialize(control);
  }
  std::filesystem::rename(temp, file);
}

struct JournalLine {
  std::string key;
  std::string outcome_id;
  std::string subject;
  std::string reference;
  std::string answered;
  json::object record;
};

// The testing adapter's journal, in file order (one JSON object per line).
inline std::vector<JournalLine> read_journal(const std::filesystem::path& file) {
  std::vector<JournalLine> lines;
  std::ifstream in(file);
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty()) continue;
    const json::object line = json::parse(text).as_object();
    JournalLine entry;
    entry.key = std::string(line.at("key").as_string());
    entry.outcome_id = std::string(line.at("outcome_id").as_string());
    entry.subject = std::string(line.at("subject").as_string());
    entry.reference = std::string(line.at("reference").as_string());
    entry.answered = std::string(line.at("answered").as_string());
    if (const auto* record = line.if_contains("record"); record && record->is_object())
      entry.record = record->as_object();
    lines.push_back(std::move(entry));
  }
  return lines;
}

// The full path of a program on PATH (run_process execs without a PATH search), or "".
inline std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = std::filesystem::path(dir) / name;
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// Runs `sql` on a store file with the sqlite3 CLI (the gateway must have stopped); one row per
// line, columns separated by '|'.
inline std::vector<std::string> sqlite_rows(const std::filesystem::path& db,
                                            const std::string& sql) {
  ProcessResult result = run_process(
      {find_program("sqlite3"), "-batch", "-readonly", db.string(), sql}, std::chrono::seconds(30));
  if (!result.exited || result.exit_code != 0) {
    throw std::runtime_error("sqlite3 failed on " + db.string() + ": " + result.err);
  }
  std::vector<std::string> rows;
  std::istringstream in(result.out);
  std::string row;
  while (std::getline(in, row)) rows.push_back(row);
  return rows;
}

inline std::string metrics_text(uint16_t port) {
  TestClient client(port);
  Reply reply = call(client, verb::get, "/metrics", nullptr);
  if (reply.status != 200) throw std::runtime_error("GET /metrics: " + reply.body);
  return reply.body;
}

// The value of one sample line of /metrics ("name{labels} value"), or nullopt.
inline std::optional<double> metric_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace coregate::testing::engine_it
