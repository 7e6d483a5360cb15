// Shared set-up for the intake integration tests: a temporary folder, a config using the test
// schemas in this folder, three tokens, and helpers that post outcomes.
#pragma once

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include "tests/integration/intake/gateway_process.h"
#include "tests/integration/intake/test_client.h"

namespace coregate::testing {

inline constexpr const char* kWriterToken = "writer-token-0123456789";
inline constexpr const char* kOtherWriterToken = "other-writer-token-0123456789";
inline constexpr const char* kReaderToken = "reader-token-0123456789";
inline constexpr const char* kNotesOnlyToken = "notes-only-token-0123456789";

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
             ("coregate-intake-" + name + "-" + std::to_string(getpid()) + "-" +
              std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `intake_extra` / `http_extra` are spliced into those sections (e.g. "\"backlog\": 1,").
inline std::string intake_config(const std::filesystem::path& dir,
                                 const std::string& intake_extra = "",
                                 const std::string& http_extra = "") {
  const std::string schemas =
      std::string(COREGATE_SOURCE_DIR) + "/tests/integration/intake/schemas";
  return std::string("{\n") +
         "  \"listen\": \"127.0.0.1:0\",\n"
         "  \"log\": {\"level\": \"info\"},\n"
         "  \"http\": {" +
         http_extra +
         " \"threads\": 2, \"body_limit\": \"64KiB\", \"header_limit\": \"16KiB\"},\n"
         "  \"store\": {\"backend\": \"sqlite\", \"path\": \"" +
         (dir / "store.db").string() +
         "\"},\n"
         "  \"intake\": {" +
         intake_extra + " \"schemas\": \"" + schemas +
         "\", \"key_retention\": \"7d\"},\n"
         "  \"auth\": {\"tokens\": [\n"
         "    {\"name\": \"workflow\", \"token_env\": \"COREGATE_TOKEN\", \"scopes\": "
         "[\"outcomes:write\", \"outcomes:read\"]},\n"
         "    {\"name\": \"other-workflow\", \"sha256\": \"" +
         sha256_hex(kOtherWriterToken) +
         "\", \"scopes\": [\"outcomes:write\"]},\n"
         "    {\"name\": \"reader\", \"sha256\": \"" +
         sha256_hex(kReaderToken) +
         "\", \"scopes\": [\"outcomes:read\"]},\n"
         "    {\"name\": \"notes\", \"sha256\": \"" +
         sha256_hex(kNotesOnlyToken) +
         "\", \"scopes\": [\"outcomes:write\"], \"types\": [\"case.note_added\"]}\n"
         "  ]}\n"
         "}\n";
}

inline std::string promise_body(const std::string& subject,
                                const std::string& amount = "\"125.00\"") {
  return "{\"type\":\"arrangement.promise_to_pay\",\"subject\":\"" + subject +
         "\",\"data\":{\"amount\":" + amount +
         ",\"currency\":\"ZAR\",\"due_date\":\"2026-12-01\"}}";
}

inline std::map<std::string, std::string> post_headers(const std::string& key,
                                                       const char* token = kWriterToken) {
  return {{"Authorization", std::string("Bearer ") + token},
          {"Content-Type", "application/json"},
          {"Idempotency-Key", "\"" + key + "\""}};
}

inline Reply post_outcome(TestClient& client, const std::string& key, const std::string& body,
                          const char* token = kWriterToken) {
  return client.request(boost::beast::http::verb::post, "/v1/outcomes", body,
                        post_headers(key, token));
}

inline Reply get_with(TestClient& client, const std::string& target,
                      const char* token = kReaderToken) {
  return client.request(boost::beast::http::verb::get, target, "",
                        {{"Authorization", std::string("Bearer ") + token}});
}

// Every stored outcome (all pages).
inline std::vector<boost::json::object> list_all(uint16_t port, const std::string& filter = "") {
  TestClient client(port);
  std::vector<boost::json::object> items;
  std::string cursor;
  for (;;) {
    std::string target =
        "/v1/outcomes?limit=200" + filter + (cursor.empty() ? "" : "&cursor=" + cursor);
    Reply reply = get_with(client, target);
    if (reply.status != 200)
      throw std::runtime_error("list failed: " + std::to_string(reply.status) + " " + reply.body);
    auto page = reply.json().as_object();
    for (auto& item : page["items"].as_array()) items.push_back(item.as_object());
    if (page["next_cursor"].is_null()) return items;
    cursor = std::string(page["next_cursor"].as_string());
  }
}

inline std::vector<std::string> writer_env() {
  return {std::string("COREGATE_TOKEN=") + kWriterToken};
}

}  // namespace coregate::testing
