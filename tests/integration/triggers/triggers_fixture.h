// Shared set-up for the trigger integration tests: a temporary folder, a SQLite "core" database
// with a debit_returns table polled by the real ODBC adapter, a gateway config with a poll source
// (and optional inbound source and webhook subscription), tokens, and helpers for pull, ack,
// SSE and the node peers in tests/peers/triggers.
#pragma once

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <poll.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/intake/gateway_process.h"
#include "tests/integration/intake/test_client.h"

namespace coregate::testing {

inline constexpr const char* kAdminToken = "admin-token-0123456789";
inline constexpr const char* kTriggerReaderToken = "trigger-reader-token-0123456789";
inline constexpr const char* kOutcomeWriterToken = "outcome-writer-token-0123456789";
inline constexpr const char* kCrmPusherToken = "crm-pusher-token-0123456789";
inline constexpr const char* kHookSecret = "webhook-secret-0123456789abcdef";
// Rows whose return code is unknown to the mapping: they must land in the trigger exceptions.
inline bool is_bad_row(int i) {
  return i % 97 == 7;
}

inline std::string token_sha256(const std::string& text) {
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

// Folders of the running test; removed by remove_temp_dirs() when it passed (a failed test keeps
// its folder, with the gateway's log, for the engineer).
inline std::vector<std::filesystem::path>& temp_dirs() {
  static std::vector<std::filesystem::path> dirs;
  return dirs;
}

inline std::filesystem::path trigger_temp_dir(const std::string& name) {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("coregate-triggers-" + name + "-" + std::to_string(getpid()) + "-" +
              std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  temp_dirs().push_back(dir);
  return dir;
}

inline void remove_temp_dirs(bool passed) {
  std::error_code ignored;
  if (passed) {
    for (const auto& dir : temp_dirs()) std::filesystem::remove_all(dir, ignored);
  }
  temp_dirs().clear();
}

inline bool sqlite_odbc_available() {
  return std::filesystem::exists("/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so");
}

// A SQLite file opened with the C API (test side; the gateway reads it through ODBC).
class SqliteFile {
 public:
  explicit SqliteFile(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
      throw std::runtime_error("open " + path.string());
    sqlite3_busy_timeout(db_, 10000);
  }
  ~SqliteFile() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + message);
    }
  }
  int64_t scalar(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }
  std::vector<std::string> texts(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Adds rows first..last to the core's debit_returns (subject = one of 13 accounts).
inline void add_debit_returns(const std::filesystem::path& core, int first, int last) {
  SqliteFile db(core);
  db.exec(
      "CREATE TABLE IF NOT EXISTS debit_returns (seq INTEGER PRIMARY KEY, order_ref TEXT, "
      "account TEXT, amount TEXT, currency TEXT, returned_at TEXT, return_code TEXT)");
  db.exec("BEGIN");
  for (int i = first; i <= last; ++i) {
    db.exec("INSERT INTO debit_returns VALUES (" + std::to_string(i) + ", 'DO-" +
            std::to_string(i) + "', '40000000" + std::to_string(10 + i % 13) + "', '" +
            std::to_string(100 + i % 900) + ".50', 'ZAR', '20260302000731', '" +
            (is_bad_row(i) ? "99" : "04") + "')");
  }
  db.exec("COMMIT");
}

inline int good_rows(int first, int last) {
  int n = 0;
  for (int i = first; i <= last; ++i) n += is_bad_row(i) ? 0 : 1;
  return n;
}

struct TriggerConfigOptions {
  int batch_size = 100;
  std::string interval = "100ms";
  std::string visibility_timeout = "30s";
  std::string heartbeat = "15s";
  std::string subscriptions_json;  // the whole "subscriptions" object, or ""
  bool inbound = false;            // a testing adapter "crm" with an inbound source
};

inline std::string trigger_config(const std::filesystem::path& dir,
                                  const TriggerConfigOptions& o = {}) {
  const std::string source = COREGATE_SOURCE_DIR;
  std::string config =
      std::string("{\n") +
      "  \"listen\": \"127.0.0.1:0\",\n"
      "  \"log\": {\"level\": \"info\"},\n"
      "  \"http\": {\"threads\": 2},\n"
      "  \"store\": {\"backend\": \"sqlite\", \"path\": \"" +
      (dir / "store.db").string() + "\"},\n" + "  \"intake\": {\"schemas\": \"" + source +
      "/schemas\"},\n" + "  \"mappings\": [\"" + source +
      "/tests/integration/triggers/mappings\"],\n" +
      "  \"auth\": {\"tokens\": [\n"
      "    {\"name\": \"admin\", \"sha256\": \"" +
      token_sha256(kAdminToken) +
      "\", \"scopes\": [\"admin\"]},\n"
      "    {\"name\": \"workflow\", \"sha256\": \"" +
      token_sha256(kTriggerReaderToken) +
      "\", \"scopes\": [\"triggers:read\"]},\n"
      "    {\"name\": \"writer\", \"sha256\": \"" +
      token_sha256(kOutcomeWriterToken) +
      "\", \"scopes\": [\"outcomes:write\"]},\n"
      "    {\"name\": \"crm-pusher\", \"sha256\": \"" +
      token_sha256(kCrmPusherToken) +
      "\", \"scopes\": [\"outcomes:read\"], \"adapters\": [\"crm\"]}\n"
      "  ]},\n"
      "  \"adapters\": {\n"
      "    \"core\": {\"plugin\": \"odbc\", \"config\": {\"connection_string\": "
      "\"Driver=SQLite3;Database=" +
      (dir / "core.db").string() +
      ";Timeout=5000;\", \"poll\": {\"sources\": {\"returns\": {\"sql\": \"SELECT seq, "
      "order_ref, account, amount, currency, returned_at, return_code FROM "
      "debit_returns WHERE seq > ? ORDER BY seq LIMIT ?\", \"params\": [{\"name\": "
      "\"seq\", \"type\": \"integer\"}, {\"name\": \"$limit\", \"type\": "
      "\"integer\"}], \"cursor_columns\": [\"seq\"], \"initial_cursor\": {\"seq\": "
      "\"0\"}}}}}}" +
      (o.inbound ? ",\n    \"crm\": {\"plugin\": \"testing\", \"config\": {}}" : "") +
      "\n  },\n"
      "  \"triggers\": {\n"
      "    \"sources\": {\"poll\": {\"returns\": {\"adapter\": \"core\", \"interval\": \"" +
      o.interval + "\", \"batch_size\": " + std::to_string(o.batch_size) +
      ", \"mapping\": \"payment_failed.debit_return_row\", \"type\": "
      "\"payment.failed\", \"natural_key\": [\"order_ref\"]}}" +
      (o.inbound ? ", \"inbound\": {\"crm_events\": {\"adapter\": \"crm\", \"type\": "
                   "\"payment.failed\"}}"
                 : "") +
      "},\n"
      "    \"consumers\": {\"visibility_timeout\": \"" +
      o.visibility_timeout +
      "\"},\n"
      "    \"stream\": {\"heartbeat\": \"" +
      o.heartbeat + "\"}" +
      (o.subscriptions_json.empty() ? "" : ",\n    \"subscriptions\": " + o.subscriptions_json) +
      "\n  }\n}\n";
  return config;
}

inline std::map<std::string, std::string> bearer(const char* token) {
  return {{"Authorization", std::string("Bearer ") + token}};
}

// Pulls once; returns the parsed events (an array) or throws with the reply.
inline boost::json::array pull(TestClient& client, const std::string& group, int limit,
                               const char* token = kTriggerReaderToken) {
  auto reply = client.request(boost::beast::http::verb::get,
                              "/v1/consumers/" + group + "/triggers?limit=" + std::to_string(limit),
                              "", bearer(token));
  if (reply.status != 200) {
    throw std::runtime_error("pull answered " + std::to_string(reply.status) + ": " + reply.body);
  }
  return boost::json::parse(reply.body).as_array();
}

inline Reply ack(TestClient& client, const std::string& group,
                 const std::vector<std::string>& ids) {
  boost::json::array list;
  for (const auto& id : ids) list.emplace_back(id);
  return client.request(boost::beast::http::verb::post, "/v1/consumers/" + group + "/ack",
                        boost::json::serialize(boost::json::object{{"ids", list}}),
                        {{"Authorization", std::string("Bearer ") + kTriggerReaderToken},
                         {"Content-Type", "application/json"}});
}

inline std::vector<std::string> ids_of(const boost::json::array& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.emplace_back(e.at("id").as_string());
  return out;
}

// Polls `count()` until it reaches `want` or `timeout` passes; returns the last value.
template <typename Count>
int64_t wait_for_count(Count count, int64_t want, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int64_t value = count();
  while (value < want && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    value = count();
  }
  return value;
}

// The number of triggers in the gateway's trigger store (read beside it, read-only).
inline int64_t logged_triggers(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir / "triggers.db")) return 0;
  try {
    SqliteFile db(dir / "triggers.db");
    return db.scalar("SELECT COUNT(*) FROM trigger_log");
  } catch (const std::exception&) {
    return 0;
  }
}

// A raw SSE client: sends the GET, then reads with a deadline.
class SseClient {
 public:
  SseClient(uint16_t port, const std::map<std::string, std::string>& headers,
            const std::string& target = "/v1/triggers/stream") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("connect failed");
    }
    std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    request += "\r\n";
    if (::send(fd_, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
      throw std::runtime_error("send failed");
    }
  }
  ~SseClient() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reads until `done(text)` or the deadline; returns everything received so far.
  template <typename Done>
  const std::string& read_until(Done done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(text_)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      text_.append(buffer, static_cast<size_t>(n));
    }
    return text_;
  }
  const std::string& text() const { return text_; }
  bool closed() const { return closed_; }

  struct Event {
    std::string id;
    std::string type;
    std::string data;
  };
  // The complete events in the body so far.
  std::vector<Event> events() const {
    std::vector<Event> out;
    const size_t body = text_.find("\r\n\r\n");
    if (body == std::string::npos) return out;
    std::string rest = text_.substr(body + 4);
    size_t start = 0;
    for (;;) {
      const size_t end = rest.find("\n\n", start);
      if (end == std::string::npos) break;
      std::istringstream block(rest.substr(start, end - start));
      Event event;
      std::string line;
      while (std::getline(block, line)) {
        if (line.rfind("id: ", 0) == 0) event.id = line.substr(4);
        if (line.rfind("event: ", 0) == 0) event.type = line.substr(7);
        if (line.rfind("data: ", 0) == 0) event.data = line.substr(6);
      }
      if (!event.data.empty()) out.push_back(event);
      start = end + 2;
    }
    return out;
  }

 private:
  int fd_ = -1;
  std::string text_;
  bool closed_ = false;
};

// node from PATH (run_process and BackgroundProcess exec the path as given).
inline std::string node_binary() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const auto candidate = std::filesystem::path(dir) / "node";
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "node";
}

inline bool node_peers_available() {
  return node_binary() != "node" &&
         std::filesystem::exists(std::string(COREGATE_SOURCE_DIR) +
                                 "/tests/peers/node_modules/cloudevents/package.json");
}

}  // namespace coregate::testing
