// Trigger-side throughput of the real binary (build/bin/coregate), printed, not asserted:
//   1. polling ingest: the ODBC adapter polls N rows from a SQLite file; rows are mapped,
//      validated, given stable ids and committed with the cursor (triggers/s from the first
//      commit to the last);
//   2. pull delivery: one consumer pulls and acknowledges all N with limit=5000 (events/s);
//   3. webhook delivery: a restarted gateway with one subscription delivers the log to a local
//      receiver (in this process) that verifies every HMAC signature (events/s).
//
//   bench/trigger_bench [rows=200000] [webhook_rows=50000]
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/intake/gateway_process.h"
#include "tests/integration/intake/test_client.h"

namespace {

namespace fs = std::filesystem;
using coregate::testing::GatewayProcess;
using coregate::testing::TestClient;
using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "bench-token-0123456789";
constexpr const char* kSecret = "bench-webhook-secret-0123456789";

std::string hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return hex(digest, sizeof digest);
}

int64_t scalar(const fs::path& file, const char* sql) {
  sqlite3* db = nullptr;
  int64_t value = 0;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

void make_core(const fs::path& file, int rows) {
  sqlite3* db = nullptr;
  sqlite3_open(file.c_str(), &db);
  sqlite3_exec(db,
               "CREATE TABLE debit_returns (seq INTEGER PRIMARY KEY, order_ref TEXT, account TEXT, "
               "amount TEXT, currency TEXT, returned_at TEXT, return_code TEXT); BEGIN",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO debit_returns VALUES (?, ?, ?, ?, 'ZAR', '20260302000731', '04')",
                     -1, &insert, nullptr);
  for (int i = 1; i <= rows; ++i) {
    const std::string ref = "DO-" + std::to_string(i);
    const std::string account = "4000" + std::to_string(100000 + i % 5000);
    const std::string amount = std::to_string(100 + i % 900) + ".50";
    sqlite3_bind_int(insert, 1, i);
    sqlite3_bind_text(insert, 2, ref.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, account.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 4, amount.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

std::string config(const fs::path& dir, const std::string& subscriptions) {
  const std::string src = COREGATE_SOURCE_DIR;
  return std::string("{\"listen\": \"127.0.0.1:0\", \"log\": {\"level\": \"warn\"}, ") +
         "\"http\": {\"threads\": 2}, \"store\": {\"backend\": \"sqlite\", \"path\": \"" +
         (dir / "store.db").string() + "\"}, \"intake\": {\"schemas\": \"" + src + "/schemas\"}, " +
         "\"mappings\": [\"" + src + "/tests/integration/triggers/mappings\"], " +
         "\"auth\": {\"tokens\": [{\"name\": \"bench\", \"sha256\": \"" + sha256_hex(kToken) +
         "\", \"scopes\": [\"admin\"]}]}, " +
         "\"adapters\": {\"core\": {\"plugin\": \"odbc\", \"config\": {\"connection_string\": "
         "\"Driver=SQLite3;Database=" +
         (dir / "core.db").string() +
         ";\", \"poll\": {\"sources\": {\"returns\": {\"sql\": \"SELECT seq, order_ref, account, "
         "amount, currency, returned_at, return_code FROM debit_returns WHERE seq > ? ORDER BY "
         "seq LIMIT ?\", \"params\": [{\"name\": \"seq\", \"type\": \"integer\"}, {\"name\": "
         "\"$limit\", \"type\": \"integer\"}], \"cursor_columns\": [\"seq\"], \"initial_cursor\": "
         "{\"seq\": \"0\"}}}}}}}, " +
         "\"triggers\": {\"sources\": {\"poll\": {\"returns\": {\"adapter\": \"core\", "
         "\"interval\": "
         "\"50ms\", \"batch_size\": 5000, \"mapping\": \"payment_failed.debit_return_row\", "
         "\"type\": \"payment.failed\", \"natural_key\": [\"order_ref\"]}}}" +
         (subscriptions.empty() ? "" : ", \"subscriptions\": " + subscriptions) + "}}";
}

// A keep-alive webhook receiver: one thread per connection, every signature checked.
class Receiver {
 public:
  Receiver() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      for (;;) {
        boost::asio::ip::tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        workers_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
      }
    });
  }
  ~Receiver() {
    stopping_ = true;
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
    for (auto& w : workers_) w.detach();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int64_t accepted() const { return accepted_; }
  int64_t bad() const { return bad_; }

 private:
  void serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      boost::system::error_code ec;
      http::read(socket, buffer, request, ec);
      if (ec) return;
      const std::string header(request["Coregate-Signature"]);
      const size_t comma = header.find(",v1=");
      bool ok = false;
      if (header.rfind("t=", 0) == 0 && comma != std::string::npos) {
        const std::string message = header.substr(2, comma - 2) + "." + request.body();
        unsigned char digest[32];
        unsigned int size = 0;
        HMAC(EVP_sha256(), kSecret, static_cast<int>(std::strlen(kSecret)),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &size);
        ok = hex(digest, size) == header.substr(comma + 4);
      }
      (ok ? accepted_ : bad_)++;
      http::response<http::empty_body> response{
          ok ? http::status::no_content : http::status::unauthorized, 11};
      response.keep_alive(true);
      http::write(socket, response, ec);
      if (ec) return;
    }
  }
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> accepted_{0};
  std::atomic<int64_t> bad_{0};
};

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // the gateway is forked: no buffered lines to copy
  const int rows = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int webhook_rows = argc > 2 ? std::atoi(argv[2]) : 50000;
  const fs::path dir =
      fs::temp_directory_path() / ("coregate-trigger-bench-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::printf("trigger bench: %d rows (webhooks: first %d)\n", rows, webhook_rows);
  make_core(dir / "core.db", rows);

  // 1. Polling ingest.
  {
    GatewayProcess gateway(dir / "gw1", config(dir, ""));
    gateway.start();
    const auto start = Clock::now();
    Clock::time_point first{};
    int64_t count = 0;
    while (count < rows && Clock::now() - start < std::chrono::minutes(5)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      count = scalar(dir / "triggers.db", "SELECT COALESCE(MAX(seq), 0) FROM trigger_log");
      if (count > 0 && first == Clock::time_point{}) first = Clock::now();
    }
    const auto end = Clock::now();
    std::printf(
        "polling ingest: %lld triggers in %.2f s from the first commit = %.0f triggers/s "
        "(%.2f s including start-up)\n",
        static_cast<long long>(count), seconds(end - first),
        count / std::max(1e-9, seconds(end - first)), seconds(end - start));

    // 2. Pull delivery (same gateway, one consumer, keep-alive).
    TestClient client(gateway.port());
    const std::map<std::string, std::string> auth{
        {"Authorization", std::string("Bearer ") + kToken}};
    int64_t pulled = 0;
    const auto pull_start = Clock::now();
    while (pulled < count) {
      auto reply = client.request(boost::beast::http::verb::get,
                                  "/v1/consumers/bench/triggers?limit=5000", "", auth);
      if (reply.status != 200) {
        std::printf("pull failed: %d %s\n", reply.status, reply.body.c_str());
        return 1;
      }
      auto events = boost::json::parse(reply.body).as_array();
      if (events.empty()) break;
      boost::json::array ids;
      for (const auto& e : events) ids.push_back(e.at("id"));
      auto acked = client.request(boost::beast::http::verb::post, "/v1/consumers/bench/ack",
                                  boost::json::serialize(boost::json::object{{"ids", ids}}), auth);
      if (acked.status != 200) {
        std::printf("ack failed: %d %s\n", acked.status, acked.body.c_str());
        return 1;
      }
      pulled += static_cast<int64_t>(events.size());
    }
    const double pull_s = seconds(Clock::now() - pull_start);
    std::printf(
        "pull delivery: %lld events pulled and acknowledged in %.2f s = %.0f events/s "
        "(limit=5000, one consumer)\n",
        static_cast<long long>(pulled), pull_s, pulled / std::max(1e-9, pull_s));
    gateway.kill(SIGTERM);
  }

  // 3. Webhooks: only the first webhook_rows events are wanted (types filter keeps all, so the
  // receiver is measured over the first webhook_rows arrivals).
  {
    Receiver receiver;
    const std::string subscriptions =
        "{\"bench\": {\"url\": \"http://127.0.0.1:" + std::to_string(receiver.port()) +
        "/hook\", \"secret\": \"" + kSecret + "\", \"concurrency\": 8, \"timeout\": \"5s\"}}";
    GatewayProcess gateway(dir / "gw2", config(dir, subscriptions));
    gateway.start();
    const auto start = Clock::now();
    Clock::time_point first{};
    while (receiver.accepted() < webhook_rows && Clock::now() - start < std::chrono::minutes(5)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (receiver.accepted() > 0 && first == Clock::time_point{}) first = Clock::now();
    }
    const double s = seconds(Clock::now() - first);
    std::printf(
        "webhook delivery: %lld events signed, POSTed and verified in %.2f s = %.0f events/s "
        "(8 lanes, keep-alive, %lld bad signatures)\n",
        static_cast<long long>(receiver.accepted()), s, receiver.accepted() / std::max(1e-9, s),
        static_cast<long long>(receiver.bad()));
    gateway.kill(SIGTERM);
  }
  fs::remove_all(dir);
  return 0;
}
