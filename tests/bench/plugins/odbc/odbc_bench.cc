// ODBC writeback throughput (issue 6 performance): outcomes/s with concurrency 16, each its own
// transaction with the ledger insert, through the plugin's write hook via the real C ABI, and the
// ceiling: a plain C++ ODBC loop issuing the same statements (ledger insert, target insert,
// COMMIT) on prepared statements with no JSON, checks or commit verification.
//
// Usage: odbc_bench [seconds_per_run=5] [backends=sqlite,postgresql,mariadb]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "plugins/odbc/odbc_connection.h"
#include "tests/integration/plugins/odbc/database_servers.h"
#include "tests/unit/sdk/abi_test_host.h"

namespace {
using namespace coregate::testing;
using namespace coregate::testing::odbc;
namespace po = coregate::plugins::odbc;
namespace json = boost::json;

constexpr int kConcurrency = 16;
constexpr char kInsert[] =
    "INSERT INTO arrangements (ext_ref, account, amount, note) VALUES (?, ?, ?, ?)";
constexpr char kCheck[] =
    "SELECT reference FROM coregate_writeback_ledger WHERE idempotency_key = ?";
constexpr char kLedger[] =
    "INSERT INTO coregate_writeback_ledger (idempotency_key, outcome_id, applied_at, reference) "
    "VALUES (?, ?, CURRENT_TIMESTAMP, ?)";

std::string bench_connection_string(const DatabaseServer& server) {
  std::string cs = server.connection_string();
  if (server.backend() == Backend::kSqlite) {
    // WAL + synchronous=NORMAL: the configuration a SQLite target would use for write throughput;
    // a long busy timeout because 16 writers queue on SQLite's single write lock.
    cs += "JournalMode=WAL;SyncPragma=NORMAL;Timeout=30000;";
  }
  // Extra driver options to compare (e.g. ODBC_BENCH_EXTRA="Protocol=7.4-1;" for psqlODBC).
  if (const char* extra = std::getenv("ODBC_BENCH_EXTRA"); extra != nullptr) cs += extra;
  return cs;
}

void reset_tables(const std::string& cs) {
  static po::OdbcEnvironment env;
  po::Diagnostics diag;
  auto c = po::Connection::open(env, cs, 10, &diag);
  if (!c) throw std::runtime_error("connect: " + po::describe(diag));
  (void)c->execute_direct("DROP TABLE IF EXISTS arrangements");
  (void)c->execute_direct("DROP TABLE IF EXISTS coregate_writeback_ledger");
  (void)c->commit();
  auto r1 = c->execute_direct(
      "CREATE TABLE arrangements (ext_ref VARCHAR(64) NOT NULL PRIMARY KEY, account VARCHAR(10) "
      "NOT "
      "NULL, amount DECIMAL(12,2) NOT NULL, note VARCHAR(200))");
  auto r2 = c->execute_direct(
      "CREATE TABLE coregate_writeback_ledger (idempotency_key VARCHAR(255) NOT NULL PRIMARY KEY, "
      "outcome_id VARCHAR(255) NOT NULL, applied_at TIMESTAMP NOT NULL, reference VARCHAR(1024))");
  if (!r1.ok || !r2.ok)
    throw std::runtime_error("create tables: " + po::describe(r1.ok ? r2.diag : r1.diag));
  (void)c->commit();
}

struct Figures {
  uint64_t ok = 0, failed = 0;
  double seconds = 0;
  double rate() const { return ok / seconds; }
};

template <typename Body>
Figures run_threads(double seconds, Body body) {
  std::atomic<uint64_t> ok{0}, failed{0};
  auto start = std::chrono::steady_clock::now();
  auto until = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < kConcurrency; ++t) {
    threads.emplace_back([&, t] {
      uint64_t i = 0;
      while (std::chrono::steady_clock::now() < until) {
        if (body(t, i++))
          ++ok;
        else
          ++failed;
      }
    });
  }
  for (auto& th : threads) th.join();
  Figures f;
  f.ok = ok;
  f.failed = failed;
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return f;
}

Figures plain_loop(const std::string& cs, double seconds, const std::string& tag, bool verify) {
  static po::OdbcEnvironment env;
  std::vector<std::unique_ptr<po::Connection>> connections;
  for (int t = 0; t < kConcurrency; ++t) {
    po::Diagnostics diag;
    connections.push_back(po::Connection::open(env, cs, 10, &diag));
    if (!connections.back()) throw std::runtime_error("connect: " + po::describe(diag));
  }
  return run_threads(seconds, [&](int t, uint64_t i) {
    auto& c = *connections[t];
    std::string id = tag + "-" + std::to_string(t) + "-" + std::to_string(i);
    using P = std::vector<po::BoundText>;
    auto s = [](std::string v) { return po::BoundText{std::move(v), po::ParamType::kString}; };
    auto a = c.execute(kLedger, P{s("k-" + id), s("o-" + id), s(id)}, 30);
    auto b = a.ok ? c.execute(kInsert,
                              P{s(id),
                                s("A1"),
                                {std::string("10.50"), po::ParamType::kDecimal},
                                s("plain loop")},
                              30)
                  : a;
    if (a.ok && b.ok && verify) {
      // The plugin's phantom-commit guard: the ledger row is visible before COMMIT.
      po::Rows rows;
      b = c.execute(kCheck, P{s("k-" + id)}, 30, &rows, 1);
    }
    if (!a.ok || !b.ok) {
      (void)c.rollback();
      return false;
    }
    return c.commit().ok;
  });
}

Figures through_plugin(const LoadedPlugin& plugin, const std::string& cs, double seconds,
                       const std::string& tag, bool verify_commit) {
  TestHost host;
  json::object amount{{"name", "amount"}, {"type", "decimal"}, {"nullable", false}};
  json::object cfg{{"connection_string", cs},
                   {"concurrency", kConcurrency},
                   {"reference_param", "ext_ref"},
                   {"ledger", {{"verify_commit", verify_commit}}},
                   {"statements",
                    {{"insert_arrangement",
                      {{"sql", kInsert},
                       {"params", json::array{json::object{{"name", "ext_ref"}, {"max_length", 64}},
                                              json::object{{"name", "account"}, {"max_length", 10}},
                                              amount, "note"}}}}}}};
  AdapterHandle adapter(plugin.descriptor(), host, json::serialize(cfg), "bench");
  if (!adapter.ok()) throw std::runtime_error("create: " + adapter.error());
  std::atomic<int> reported{0};
  return run_threads(seconds, [&](int t, uint64_t i) {
    std::string id = tag + "-" + std::to_string(t) + "-" + std::to_string(i);
    WriteCall call;
    call.key = "k-" + id;
    call.outcome_id = "o-" + id;
    call.record_json = json::serialize(json::object{
        {"statement", "insert_arrangement"},
        {"params",
         {{"ext_ref", id}, {"account", "A1"}, {"amount", "10.50"}, {"note", "through plugin"}}}});
    call.deadline_unix_ms = host.now_unix_ms() + 30000;
    auto o = adapter.write(call);
    if (o.write_class != CG_WRITE_APPLIED && reported++ < 3) {
      std::cerr << "  write " << o.write_class << ": " << o.diagnostic << "\n";
    }
    return o.write_class == CG_WRITE_APPLIED;
  });
}

void print(const std::string& backend, const std::string& what, const Figures& f, double ceiling) {
  std::printf("| %-10s | %-38s | %8.0f | %7llu | %5llu | %6.1f %% |\n", backend.c_str(),
              what.c_str(), f.rate(), static_cast<unsigned long long>(f.ok),
              static_cast<unsigned long long>(f.failed),
              ceiling > 0 ? 100.0 * f.rate() / ceiling : 100.0);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::stod(argv[1]) : 5.0;
  std::string wanted = argc > 2 ? argv[2] : "sqlite,postgresql,mariadb";
  LoadedPlugin plugin(std::string(COREGATE_BINARY_DIR) + "/plugins/libcoregate_odbc.so");
  std::printf(
      "concurrency %d, %.0f s per run, each write = ledger insert + target insert (+ check) + "
      "COMMIT; \"vs ceiling\" compares with the plain loop issuing the same statements\n",
      kConcurrency, seconds);
  std::printf(
      "| backend    | path                                   | writes/s |      ok | fail | vs "
      "ceiling |\n");
  std::printf(
      "|------------|----------------------------------------|----------|---------|------|---------"
      "---|\n");
  for (Backend b : {Backend::kSqlite, Backend::kPostgres, Backend::kMariadb}) {
    if (wanted.find(backend_name(b)) == std::string::npos) continue;
    std::string why = DatabaseServer::unavailable_reason(b);
    if (!why.empty()) {
      std::printf("| %-10s | skipped: %s |\n", backend_name(b).c_str(), why.c_str());
      continue;
    }
    DatabaseServer server(b);
    std::string cs = bench_connection_string(server);
    reset_tables(cs);
    Figures ceiling = plain_loop(cs, seconds, "plain", false);
    print(backend_name(b), "plain ODBC loop (ceiling)", ceiling, 0);
    reset_tables(cs);
    Figures checked = plain_loop(cs, seconds, "plainv", true);
    print(backend_name(b), "plain ODBC loop + pre-commit check", checked, 0);
    reset_tables(cs);
    print(backend_name(b), "plugin write hook, verify_commit on",
          through_plugin(plugin, cs, seconds, "pv", true), checked.rate());
    reset_tables(cs);
    print(backend_name(b), "plugin write hook, verify_commit off",
          through_plugin(plugin, cs, seconds, "pn", false), ceiling.rate());
  }
  return 0;
}
