// The ODBC plugin through the real C ABI against real drivers (issue 6 item 7): SQLite via the
// SQLite3 ODBC driver, PostgreSQL 15 via psqlODBC (Unicode) and MariaDB via MariaDB
// Connector/ODBC, servers started by the test. Lines starting "OBSERVED |" feed the
// classification table in docs/plugins/odbc.md.
#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "tests/integration/plugins/odbc/odbc_fixture.h"

namespace coregate::testing::odbc {
namespace {
namespace json = boost::json;

TEST_P(OdbcPluginTest, AppliesStatementsAndLedgerInOneTransaction) {
  auto a = adapter();
  auto o = write(*a, "k-apply", insert_record("R-1", "A1", "10.50", "first"));
  ASSERT_EQ(o.status, CG_STATUS_OK) << o.diagnostic;
  ASSERT_EQ(o.write_class, CG_WRITE_APPLIED) << o.diagnostic;
  EXPECT_EQ(o.reference, "R-1");
  EXPECT_EQ(count("SELECT COUNT(*) FROM arrangements WHERE ext_ref = 'R-1'"), 1);
  auto ledger = raw_->query(
      "SELECT outcome_id, reference FROM coregate_writeback_ledger WHERE idempotency_key = "
      "'k-apply'");
  ASSERT_EQ(ledger.rows.size(), 1u);
  EXPECT_EQ(*ledger.rows[0][0], "outcome-k-apply");
  EXPECT_EQ(*ledger.rows[0][1], "R-1");
  auto p = a->probe("k-apply");
  EXPECT_EQ(p.state, CG_PROBE_APPLIED) << p.diagnostic;
  EXPECT_EQ(p.reference, "R-1");
  EXPECT_EQ(a->probe("k-never").state, CG_PROBE_NOT_FOUND);

  // Several statements in one record: all land with the ledger row.
  std::string multi = json::serialize(json::object{
      {"statements",
       json::array{
           json::object{{"statement", "insert_arrangement"},
                        {"params", {{"ext_ref", "R-2"}, {"account", "A2"}, {"amount", "5"}}}},
           json::object{{"statement", "bump_balance"},
                        {"params", {{"account", "A2"}, {"amount", "5.25"}}}}}}});
  auto m = write(*a, "k-multi", multi);
  ASSERT_EQ(m.write_class, CG_WRITE_APPLIED) << m.diagnostic;
  auto total = raw_->query("SELECT total FROM balances WHERE account = 'A2'");
  ASSERT_EQ(total.rows.size(), 1u);
  EXPECT_EQ(std::stod(*total.rows[0][0]) * 100, 525);
}

TEST_P(OdbcPluginTest, RepeatAndConcurrentDuplicatesApplyOnce) {
  auto a = adapter();
  ASSERT_EQ(write(*a, "k-dup", insert_record("R-D", "A1", "1.00")).write_class, CG_WRITE_APPLIED);
  auto again = write(*a, "k-dup", insert_record("R-D", "A1", "1.00"));
  EXPECT_EQ(again.write_class, CG_WRITE_ALREADY_APPLIED) << again.diagnostic;
  EXPECT_EQ(again.reference, "R-D");

  // Eight threads race one new key: exactly one applies, the rest see the ledger row.
  std::atomic<int> applied{0}, already{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto o = write(*a, "k-race", insert_record("R-RACE", "A1", "2.00"), 10000);
      if (o.write_class == CG_WRITE_APPLIED)
        ++applied;
      else if (o.write_class == CG_WRITE_ALREADY_APPLIED)
        ++already;
      else {
        ++other;
        observed("concurrent duplicate key (loser)", o);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(applied.load(), 1);
  // SQLite serialises writers through its file lock: a loser may time out busy (RETRYABLE) before
  // it sees the key; PostgreSQL and MariaDB block on the ledger key and then answer
  // ALREADY_APPLIED.
  if (backend() != Backend::kSqlite) {
    EXPECT_EQ(other.load(), 0);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM arrangements WHERE ext_ref = 'R-RACE'"), 1);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM coregate_writeback_ledger WHERE idempotency_key = 'k-race'"), 1);
}

TEST_P(OdbcPluginTest, ConstraintViolationsAreRejectedAndLeaveNoLedgerRow) {
  auto a = adapter();
  ASSERT_EQ(write(*a, "k-c1", insert_record("R-C", "A1", "1.00")).write_class, CG_WRITE_APPLIED);
  // Same natural key under a new idempotency key: primary-key violation in the target table.
  auto dup = write(*a, "k-c2", insert_record("R-C", "A1", "1.00"));
  observed("unique violation (target table)", dup);
  EXPECT_EQ(dup.write_class, CG_WRITE_REJECTED) << dup.diagnostic;
  EXPECT_NE(dup.diagnostic.find("SQLSTATE"), std::string::npos);
  EXPECT_EQ(a->probe("k-c2").state, CG_PROBE_NOT_FOUND);

  // NOT NULL violated in the database (the spec allows null, the column does not).
  auto null_account = write(*a, "k-c3", insert_record("R-N", nullptr, "1.00"));
  observed("not-null violation", null_account);
  EXPECT_EQ(null_account.write_class, CG_WRITE_REJECTED) << null_account.diagnostic;
  EXPECT_NE(null_account.diagnostic.find("account"), std::string::npos) << null_account.diagnostic;
  EXPECT_EQ(count("SELECT COUNT(*) FROM coregate_writeback_ledger"), 1);
}

TEST_P(OdbcPluginTest, TooLongAndWrongTypeAreRejectedNamingTheColumn) {
  auto a = adapter();
  // Declared max_length: refused before the database, naming the column.
  auto long_account = write(*a, "k-l1", insert_record("R-L", "ACCOUNT-TOO-LONG", "1.00"));
  EXPECT_EQ(long_account.write_class, CG_WRITE_REJECTED);
  EXPECT_NE(long_account.diagnostic.find("'account'"), std::string::npos)
      << long_account.diagnostic;
  // Undeclared length: the database's own verdict (SQLite does not enforce VARCHAR lengths).
  auto long_note =
      write(*a, "k-l2", insert_record("R-L2", "A1", "1.00", json::value(std::string(300, 'x'))));
  observed("string too long for VARCHAR(200) (not declared)", long_note);
  if (backend() == Backend::kSqlite) {
    EXPECT_EQ(long_note.write_class, CG_WRITE_APPLIED) << long_note.diagnostic;
  } else {
    EXPECT_EQ(long_note.write_class, CG_WRITE_REJECTED) << long_note.diagnostic;
  }
  // Wrong types: refused before the database is touched. Proof: an adapter whose server does not
  // exist still answers REJECTED (touching it would have been RETRYABLE).
  json::object cfg = config();
  cfg["connection_string"] =
      backend() == Backend::kSqlite
          ? "Driver=SQLite3;Database=/nonexistent/dir/x.db;"
          : (backend() == Backend::kPostgres
                 ? "Driver=PostgreSQL Unicode;Server=127.0.0.1;Port=1;Database=x;UID=x;"
                 : "Driver=MariaDB Unicode;Server=127.0.0.1;Port=1;User=x;");
  cfg["ledger"] = json::object{{"create", false}};
  auto offline = adapter(cfg);
  for (const json::value& bad : {json::value("ten"), json::value(10.5), json::value("1e3"),
                                 json::value(json::array{1}), json::value(true)}) {
    auto o = write(*offline, "k-t", insert_record("R-T", "A1", bad));
    EXPECT_EQ(o.write_class, CG_WRITE_REJECTED) << json::serialize(bad) << ": " << o.diagnostic;
    EXPECT_NE(o.diagnostic.find("'amount'"), std::string::npos) << o.diagnostic;
  }
  auto unknown = write(*offline, "k-u", R"({"statement":"drop_everything","params":{}})");
  EXPECT_EQ(unknown.write_class, CG_WRITE_REJECTED);
  auto sql_in_record = write(*offline, "k-s", R"({"sql":"DELETE FROM arrangements"})");
  EXPECT_EQ(sql_in_record.write_class, CG_WRITE_REJECTED);
  auto reachable = write(*offline, "k-ok", insert_record("R-OK", "A1", "1.00"));
  observed("server unreachable at connect", reachable);
  EXPECT_EQ(reachable.write_class, CG_WRITE_RETRYABLE) << reachable.diagnostic;
}

TEST_P(OdbcPluginTest, InjectionStringsAndUnicodeLandVerbatim) {
  auto a = adapter();
  const std::vector<std::string> nasty = {
      "'; DROP TABLE arrangements; --",
      "Robert'); DELETE FROM coregate_writeback_ledger;--",
      "\" OR 1=1 --",
      "?",
      "$1 \\' \\\\ %_ */ /* `x`",
      "Zoë Ærøskøbing ñ",
      "顧客番号 한국어",
      "💸🏦 emoji \xF0\x9F\x98\x80",
      "tab\tnew\nline\r",
  };
  for (size_t i = 0; i < nasty.size(); ++i) {
    std::string ext = "X" + std::to_string(i) + "-" + nasty[i];
    std::string key = "key-" + nasty[i];  // the idempotency key carries it too
    WriteCall call;
    call.key = key;
    call.outcome_id = "oid-" + nasty[i];
    call.record_json = insert_record(ext, "A1", "1.00", json::value(nasty[i]));
    call.deadline_unix_ms = host_.now_unix_ms() + 5000;
    auto o = a->write(call);
    ASSERT_EQ(o.write_class, CG_WRITE_APPLIED) << nasty[i] << ": " << o.diagnostic;
    EXPECT_EQ(o.reference, ext);
    auto p = a->probe(key);
    EXPECT_EQ(p.state, CG_PROBE_APPLIED) << nasty[i];
    EXPECT_EQ(p.reference, ext);
  }
  // Read back through the plugin's own poll hook path is covered below; here read raw.
  auto rows = raw_->query("SELECT ext_ref, note FROM arrangements ORDER BY ext_ref");
  ASSERT_EQ(rows.rows.size(), nasty.size());
  std::set<std::string> notes;
  for (const auto& r : rows.rows) notes.insert(*r[1]);
  for (const auto& n : nasty) EXPECT_EQ(notes.count(n), 1u) << "lost or altered: " << n;
  auto ledger = raw_->query("SELECT idempotency_key, outcome_id FROM coregate_writeback_ledger");
  std::set<std::string> keys;
  for (const auto& r : ledger.rows) keys.insert(*r[0]);
  for (const auto& n : nasty) EXPECT_EQ(keys.count("key-" + n), 1u) << n;
  EXPECT_EQ(count("SELECT COUNT(*) FROM balances"), 2);  // nothing dropped or deleted
}

TEST_P(OdbcPluginTest, PollReturnsKeysetBatchesWithNumericsAsStrings) {
  auto a = adapter();
  const std::vector<std::tuple<std::string, std::string, std::string>> rows = {
      {"P1", "2024-01-01 10:00:00", "1"},
      {"P2", "2024-01-01 10:00:00", "2"},
      {"P3", "2024-01-01 10:00:01", "3"},
      {"P4", "2024-01-02 00:00:00", "4"},
      {"P5", "2024-01-02 00:00:00", "5"}};
  for (const auto& [ext, at, seq] : rows) {
    json::object params{{"ext_ref", ext},
                        {"account", "Zoë"},
                        {"amount", "10.50"},
                        {"updated_at", at},
                        {"seq", seq}};
    auto o =
        write(*a, "k-" + ext,
              json::serialize(json::object{{"statement", "insert_timed"}, {"params", params}}));
    ASSERT_EQ(o.write_class, CG_WRITE_APPLIED) << o.diagnostic;
  }
  std::vector<std::string> seen;
  std::string cursor;
  for (int round = 0; round < 5; ++round) {
    auto p = a->poll("arrangements", cursor, 2);
    ASSERT_EQ(p.status, CG_STATUS_OK) << p.diagnostic;
    auto records = json::parse(p.records_json).as_array();
    for (const auto& r : records) {
      const auto& o = r.as_object();
      seen.push_back(std::string(o.at("ext_ref").as_string()));
      EXPECT_TRUE(o.at("amount").is_string()) << json::serialize(o);
      EXPECT_TRUE(o.at("seq").is_string()) << json::serialize(o);
      EXPECT_EQ(o.at("account").as_string(), "Zoë");
      EXPECT_TRUE(o.at("note").is_null());
      std::string amount(o.at("amount").as_string());
      // SQLite's NUMERIC affinity stores 10.50 as the REAL 10.5 (documented quirk).
      EXPECT_TRUE(amount == "10.50" || (backend() == Backend::kSqlite && amount == "10.5"))
          << amount;
    }
    EXPECT_LE(records.size(), 2u);
    cursor = p.next_cursor;
    if (records.empty()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"P1", "P2", "P3", "P4", "P5"}));
  // "$limit" binds max_records into the query's LIMIT.
  auto limited = a->poll("limited", "", 3);
  ASSERT_EQ(limited.status, CG_STATUS_OK) << limited.diagnostic;
  EXPECT_EQ(json::parse(limited.records_json).as_array().size(), 3u);
  EXPECT_EQ(json::parse(limited.next_cursor).at("seq").as_string(), "3");
  auto rest = a->poll("limited", limited.next_cursor, 10);
  EXPECT_EQ(json::parse(rest.records_json).as_array().size(), 2u);
  auto unknown = a->poll("nope", "", 10);
  EXPECT_EQ(unknown.status, CG_STATUS_ERROR);
}

TEST_P(OdbcPluginTest, LockConflictIsRetryableAndThenApplies) {
  auto a = adapter();
  // A second session holds the row (or, for SQLite, the database write lock).
  if (backend() == Backend::kSqlite) {
    raw_->run("INSERT INTO balances (account, total) VALUES ('LOCK', 0)");  // takes the write lock
  } else {
    raw_->run("UPDATE balances SET total = total + 1 WHERE account = 'A1'");
  }
  std::string bump = json::serialize(json::object{
      {"statement", "bump_balance"}, {"params", {{"account", "A1"}, {"amount", "1"}}}});
  auto blocked = write(*a, "k-lock", bump, 2500);
  observed("lock held by another session", blocked);
  EXPECT_EQ(blocked.write_class, CG_WRITE_RETRYABLE) << blocked.diagnostic;
  raw_->rollback();
  EXPECT_EQ(a->probe("k-lock").state, CG_PROBE_NOT_FOUND);
  auto retried = write(*a, "k-lock", bump);
  EXPECT_EQ(retried.write_class, CG_WRITE_APPLIED) << retried.diagnostic;
}

TEST_P(OdbcPluginTest, DeadlockVictimIsRetryable) {
  if (backend() == Backend::kSqlite) GTEST_SKIP() << "SQLite has one database lock: no deadlocks";
  auto a = adapter();
  ASSERT_EQ(a->health().state, CG_HEALTH_HEALTHY);  // opens the pooled connection now, not later
  // The plugin locks A1 then wants A2; the raw session holds A2 and then asks for A1.
  // The raw session does more work first, so MariaDB (which rolls back the lighter transaction)
  // picks the plugin as the victim; PostgreSQL picks whoever's deadlock_timeout (300 ms) fires
  // first, the plugin, which waits first.
  raw_->run("INSERT INTO balances (account, total) VALUES ('W1', 0), ('W2', 0), ('W3', 0)");
  raw_->run("UPDATE balances SET total = total + 1 WHERE account = 'A2'");
  std::string record = json::serialize(json::object{
      {"statements", json::array{json::object{{"statement", "bump_balance"},
                                              {"params", {{"account", "A1"}, {"amount", "1"}}}},
                                 json::object{{"statement", "bump_balance"},
                                              {"params", {{"account", "A2"}, {"amount", "1"}}}}}}});
  auto pending =
      std::async(std::launch::async, [&] { return write(*a, "k-deadlock", record, 8000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto raw_result = raw_->try_run("UPDATE balances SET total = total + 1 WHERE account = 'A1'");
  if (!raw_result.ok) raw_->rollback();  // release the locks the plugin waits for
  auto o = pending.get();
  observed("deadlock", o);
  if (raw_result.ok) {
    // The plugin was the victim: it must say RETRYABLE and leave nothing behind.
    EXPECT_EQ(o.write_class, CG_WRITE_RETRYABLE) << o.diagnostic;
    EXPECT_TRUE(o.diagnostic.find("40P01") != std::string::npos ||
                o.diagnostic.find("1213") != std::string::npos ||
                o.diagnostic.find("40001") != std::string::npos)
        << o.diagnostic;
    raw_->rollback();
    EXPECT_EQ(a->probe("k-deadlock").state, CG_PROBE_NOT_FOUND);
  } else {
    std::cout << "OBSERVED | " << backend_name(backend())
              << " | deadlock (raw session chosen as victim) | - | "
              << plugins::odbc::describe(raw_result.diag) << "\n";
    raw_->rollback();
    EXPECT_EQ(o.write_class, CG_WRITE_APPLIED) << o.diagnostic;
  }
}

TEST_P(OdbcPluginTest, ServerStoppedMidTransactionThenRestartedReconnects) {
  if (!server().has_server()) GTEST_SKIP() << "SQLite is embedded: there is no server to stop";
  auto a = adapter();
  ASSERT_EQ(write(*a, "k-before", insert_record("R-B", "A1", "1.00")).write_class,
            CG_WRITE_APPLIED);
  // The plugin's transaction waits on a row the raw session holds; the server stops meanwhile.
  raw_->run("UPDATE balances SET total = total + 1 WHERE account = 'A1'");
  std::string bump = json::serialize(json::object{
      {"statement", "bump_balance"}, {"params", {{"account", "A1"}, {"amount", "1"}}}});
  auto pending = std::async(std::launch::async, [&] { return write(*a, "k-stop", bump, 15000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  if (backend() == Backend::kMariadb) {
    server().kill();  // SIGKILL: the connection drops without a goodbye
  } else {
    server().stop();  // fast shutdown: sessions terminated (57P01)
  }
  auto o = pending.get();
  observed(backend() == Backend::kMariadb ? "server SIGKILLed mid-transaction"
                                          : "server fast shutdown mid-transaction",
           o);
  EXPECT_EQ(o.write_class, CG_WRITE_RETRYABLE) << o.diagnostic;
  auto down = write(*a, "k-down", insert_record("R-X", "A1", "1.00"), 3000);
  observed("server down (write)", down);
  EXPECT_EQ(down.write_class, CG_WRITE_RETRYABLE) << down.diagnostic;
  auto h = a->health();
  EXPECT_EQ(h.state, CG_HEALTH_UNHEALTHY) << h.detail;
  EXPECT_EQ(a->probe("k-stop").state, CG_PROBE_UNKNOWN);

  server().start();
  raw_ = std::make_unique<RawSession>(connection_string());
  // Pooled connections died with the server; the next write reconnects (at most one failure per
  // pooled connection that had been open).
  WriteOutcome after;
  for (int i = 0; i < 6; ++i) {
    after = write(*a, "k-stop", bump);
    if (after.write_class != CG_WRITE_RETRYABLE) break;
    observed("first use of a pooled connection after restart", after);
  }
  EXPECT_EQ(after.write_class, CG_WRITE_APPLIED) << after.diagnostic;
  EXPECT_EQ(a->probe("k-stop").state, CG_PROBE_APPLIED);
  EXPECT_EQ(a->health().state, CG_HEALTH_HEALTHY);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM coregate_writeback_ledger WHERE idempotency_key = 'k-stop'"), 1);
}

TEST_P(OdbcPluginTest, CommitOfARolledBackTransactionIsNeverCountedApplied) {
  // raw_rollback ends the transaction behind the driver's back (as a stored procedure that commits
  // or rolls back itself would); COMMIT then has nothing to commit and psqlODBC and MariaDB
  // Connector/ODBC still report success. The ledger check must catch it.
  auto a = adapter();
  std::string record = json::serialize(json::object{
      {"statements",
       json::array{
           json::object{{"statement", "insert_arrangement"},
                        {"params", {{"ext_ref", "R-PH"}, {"account", "A1"}, {"amount", "1"}}}},
           json::object{{"statement", "raw_rollback"}}}}});
  json::object cfg = config();
  cfg["ledger"] = json::object{{"create", true}, {"verify_commit", true}};
  auto verified = adapter(cfg);
  auto o = write(*verified, "k-phantom", record);
  observed("transaction rolled back before a COMMIT that reports success", o);
  EXPECT_NE(o.write_class, CG_WRITE_APPLIED) << o.diagnostic;
  EXPECT_NE(o.write_class, CG_WRITE_ALREADY_APPLIED) << o.diagnostic;
  EXPECT_EQ(count("SELECT COUNT(*) FROM arrangements WHERE ext_ref = 'R-PH'"), 0);
  auto p = verified->probe("k-phantom");
  EXPECT_EQ(p.state, CG_PROBE_NOT_FOUND) << p.diagnostic;
}

TEST_P(OdbcPluginTest, WithoutTheGuardDriversReportSuccessForARolledBackCommit) {
  // Pins the driver quirk the guard exists for: with verify_commit off, psqlODBC and MariaDB
  // Connector/ODBC let COMMIT "succeed" after the transaction was rolled back, so the plugin
  // would say APPLIED for nothing. If a driver upgrade fixes this, this test says so.
  json::object cfg = config();
  cfg["ledger"] = json::object{{"create", true}, {"verify_commit", false}};
  auto unguarded = adapter(cfg);
  std::string record = json::serialize(json::object{
      {"statements",
       json::array{
           json::object{{"statement", "insert_arrangement"},
                        {"params", {{"ext_ref", "R-Q"}, {"account", "A1"}, {"amount", "1"}}}},
           json::object{{"statement", "raw_rollback"}}}}});
  auto o = write(*unguarded, "k-quirk", record);
  observed("rolled-back transaction, verify_commit off", o);
  EXPECT_EQ(count("SELECT COUNT(*) FROM arrangements WHERE ext_ref = 'R-Q'"), 0);
  if (backend() == Backend::kSqlite) {
    EXPECT_NE(o.write_class, CG_WRITE_APPLIED) << "the SQLite driver reports the failed COMMIT";
  } else {
    EXPECT_EQ(o.write_class, CG_WRITE_APPLIED)
        << "driver quirk no longer present: " << o.diagnostic;
  }
}

// A miniature of the engine's contract (issue 4 will run the real one with gateway SIGKILLs):
// every key is driven to a terminal answer (RETRYABLE -> retry, AMBIGUOUS -> probe, NOT_FOUND ->
// write again), then replayed once as a restarted gateway would; the server restarts mid-run.
// Every row must exist exactly once and the ledger must agree.
TEST_P(OdbcPluginTest, ExactlyOnceAcrossServerRestartAndReplays) {
  // SQLite (rollback journal, fsync per commit) is slower; fewer keys keep the suite short.
  const int kKeys = backend() == Backend::kSqlite ? 300 : 1000;
  constexpr int kThreads = 8;
  auto a = adapter();
  std::atomic<int> next{0}, done{0}, rejected{0}, retried{0}, ambiguous{0}, replays_ok{0};
  auto key_of = [](int i) { return "eo-" + std::to_string(i); };
  auto drive = [&](const std::string& key, const std::string& record) {
    for (int attempt = 0; attempt < 200; ++attempt) {
      auto o = write(*a, key, record, 3000);
      if (o.write_class == CG_WRITE_APPLIED || o.write_class == CG_WRITE_ALREADY_APPLIED) return o;
      if (o.write_class == CG_WRITE_REJECTED) return o;
      if (o.write_class == CG_WRITE_AMBIGUOUS) {
        if (ambiguous++ == 0) observed("restart during exactly-once run (then probed)", o);
        for (;;) {
          auto p = a->probe(key);
          if (p.state == CG_PROBE_APPLIED) return o;
          if (p.state == CG_PROBE_NOT_FOUND) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      } else {
        ++retried;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return WriteOutcome{};
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < kKeys; i = next++) {
        std::string record = insert_record("EO-" + std::to_string(i), "A1", "1.25");
        auto o = drive(key_of(i), record);
        if (o.write_class == CG_WRITE_REJECTED) ++rejected;
        // The replay a restarted gateway would send for a step whose answer it never recorded.
        auto replay = write(*a, key_of(i), record, 10000);
        if (replay.write_class == CG_WRITE_ALREADY_APPLIED) ++replays_ok;
        ++done;
      }
    });
  }
  if (server().has_server()) {
    while (done < kKeys / 3) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    server().stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    server().start();
  }
  for (auto& t : threads) t.join();
  raw_ = std::make_unique<RawSession>(connection_string());
  std::cout << "OBSERVED | " << backend_name(backend()) << " | exactly-once run | " << kKeys
            << " keys | retryable answers " << retried << ", ambiguous " << ambiguous
            << ", replays answered ALREADY_APPLIED " << replays_ok << "\n";
  EXPECT_EQ(rejected.load(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM arrangements WHERE ext_ref LIKE 'EO-%'"), kKeys);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT ext_ref) FROM arrangements WHERE ext_ref LIKE 'EO-%'"),
            kKeys);
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM coregate_writeback_ledger WHERE idempotency_key LIKE 'eo-%'"),
      kKeys);
  EXPECT_EQ(count("SELECT COUNT(*) FROM coregate_writeback_ledger l JOIN arrangements a ON "
                  "a.ext_ref = l.reference WHERE l.idempotency_key LIKE 'eo-%'"),
            kKeys);
  // A replay racing the restart may itself have been RETRYABLE; the rest must be ALREADY_APPLIED.
  EXPECT_GE(replays_ok.load(), kKeys - 20);
}

TEST_P(OdbcPluginTest, NaturalKeyProbeReplacesTheLedger) {
  json::object cfg = config();
  cfg["ledger"] = json::object{{"enabled", false}};
  cfg["probe_query"] = json::object{{"sql", "SELECT ext_ref FROM arrangements WHERE ext_ref = ?"},
                                    {"params", json::array{"ext_ref"}}};
  auto a = adapter(cfg);
  std::string record = insert_record("R-NK", "A1", "3.00");
  EXPECT_EQ(a->probe("k-nk", record).state, CG_PROBE_NOT_FOUND);
  auto o = write(*a, "k-nk", record);
  ASSERT_EQ(o.write_class, CG_WRITE_APPLIED) << o.diagnostic;
  auto p = a->probe("k-nk", record);
  EXPECT_EQ(p.state, CG_PROBE_APPLIED) << p.diagnostic;
  EXPECT_EQ(p.reference, "R-NK");
  auto again = write(*a, "k-nk-retry", record);
  EXPECT_EQ(again.write_class, CG_WRITE_ALREADY_APPLIED) << again.diagnostic;
  EXPECT_EQ(count("SELECT COUNT(*) FROM arrangements WHERE ext_ref = 'R-NK'"), 1);
}

TEST_P(OdbcPluginTest, HealthRunsTheConfiguredQueryAndConfigErrorsNameTheKey) {
  auto a = adapter();
  auto h = a->health();
  EXPECT_EQ(h.state, CG_HEALTH_HEALTHY) << h.detail;
  json::object cfg = config();
  cfg["health_query"] = "SELECT * FROM no_such_table";
  auto bad = adapter(cfg);
  EXPECT_EQ(bad->health().state, CG_HEALTH_UNHEALTHY);

  json::object wrong = config();
  wrong["statements"].as_object()["broken"] =
      json::object{{"sql", "INSERT INTO balances VALUES (?, ?)"}, {"params", json::array{"a"}}};
  AdapterHandle refused(plugin_->descriptor(), host_, json::serialize(wrong));
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(refused.error().find("statements.broken.params"), std::string::npos) << refused.error();
}

INSTANTIATE_TEST_SUITE_P(Drivers, OdbcPluginTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres, Backend::kMariadb),
                         [](const auto& info) { return backend_name(info.param); });

}  // namespace
}  // namespace coregate::testing::odbc
