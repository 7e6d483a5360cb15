#include "tests/integration/plugins/odbc/odbc_fixture.h"

namespace coregate::testing::odbc {
namespace json = boost::json;
using plugins::odbc::describe;

namespace {
plugins::odbc::OdbcEnvironment& raw_env() {
  static plugins::odbc::OdbcEnvironment env;
  return env;
}

// Stops every server when the binary ends, also after failed tests.
class ServersEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { stop_shared_servers(); }
};
[[maybe_unused]] auto* const servers_environment =
    ::testing::AddGlobalTestEnvironment(new ServersEnvironment);
}  // namespace

std::unique_ptr<LoadedPlugin> OdbcPluginTest::plugin_;

RawSession::RawSession(const std::string& connection_string) {
  plugins::odbc::Diagnostics diag;
  connection_ = plugins::odbc::Connection::open(raw_env(), connection_string, 5, &diag);
  if (!connection_) throw std::runtime_error("raw connect: " + describe(diag));
}

void RawSession::run(const std::string& sql) {
  auto r = connection_->execute_direct(sql);
  EXPECT_TRUE(r.ok) << sql << ": " << describe(r.diag);
}

plugins::odbc::OdbcResult RawSession::try_run(const std::string& sql) {
  return connection_->execute_direct(sql);
}

plugins::odbc::Rows RawSession::query(const std::string& sql) {
  plugins::odbc::Rows rows;
  auto r = connection_->execute(sql, {}, 10, &rows);
  EXPECT_TRUE(r.ok) << sql << ": " << describe(r.diag);
  (void)connection_->rollback();
  return rows;
}

void RawSession::commit() {
  auto r = connection_->commit();
  EXPECT_TRUE(r.ok) << describe(r.diag);
}
void RawSession::rollback() {
  (void)connection_->rollback();
}

void OdbcPluginTest::SetUp() {
  std::string reason = DatabaseServer::unavailable_reason(backend());
  if (!reason.empty()) GTEST_SKIP() << backend_name(backend()) << " backend skipped: " << reason;
  if (!plugin_) {
    plugin_ = std::make_unique<LoadedPlugin>(std::string(COREGATE_BINARY_DIR) +
                                             "/plugins/libcoregate_odbc.so");
  }
  server_ = &shared_server(backend());
  if (!server_->running()) server_->start();  // a previous test may have left it stopped
  raw_ = std::make_unique<RawSession>(connection_string());
  (void)raw_->try_run("DROP TABLE IF EXISTS arrangements");
  (void)raw_->try_run("DROP TABLE IF EXISTS balances");
  (void)raw_->try_run("DROP TABLE IF EXISTS coregate_writeback_ledger");
  raw_->commit();
  raw_->run(
      "CREATE TABLE arrangements (ext_ref VARCHAR(64) NOT NULL PRIMARY KEY, account VARCHAR(10) "
      "NOT NULL, amount DECIMAL(12,2) NOT NULL, note VARCHAR(200), updated_at TIMESTAMP NULL, seq "
      "INTEGER)");
  raw_->run(
      "CREATE TABLE balances (account VARCHAR(10) NOT NULL PRIMARY KEY, total DECIMAL(12,2) NOT "
      "NULL)");
  raw_->run("INSERT INTO balances (account, total) VALUES ('A1', 0), ('A2', 0)");
  raw_->commit();
}

void OdbcPluginTest::TearDown() {
  if (raw_) raw_->rollback();
  raw_.reset();
}

json::object OdbcPluginTest::config() const {
  json::object amount{{"name", "amount"}, {"type", "decimal"}, {"nullable", false}};
  json::object cfg{
      {"connection_string", connection_string()},
      {"concurrency", 4},
      {"ledger", {{"create", true}}},
      {"reference_param", "ext_ref"},
      {"statements",
       {{"insert_arrangement",
         {{"sql", "INSERT INTO arrangements (ext_ref, account, amount, note) VALUES (?, ?, ?, ?)"},
          {"params",
           json::array{json::object{{"name", "ext_ref"}, {"max_length", 64}},
                       json::object{{"name", "account"}, {"max_length", 10}}, amount, "note"}}}},
        {"insert_unchecked",
         {{"sql", "INSERT INTO arrangements (ext_ref, account, amount) VALUES (?, ?, ?)"},
          {"params", json::array{"ext_ref", "account", amount}}}},
        {"insert_timed",
         {{"sql",
           "INSERT INTO arrangements (ext_ref, account, amount, updated_at, seq) VALUES (?, ?, ?, "
           "?, ?)"},
          {"params", json::array{"ext_ref", "account", amount,
                                 json::object{{"name", "updated_at"}, {"type", "timestamp"}},
                                 json::object{{"name", "seq"}, {"type", "integer"}}}}}},
        {"bump_balance",
         {{"sql", "UPDATE balances SET total = total + ? WHERE account = ?"},
          {"params", json::array{amount, "account"}}}},
        {"raw_rollback", {{"sql", "ROLLBACK"}}}}},
      {"poll",
       {{"sources",
         {{"arrangements",
           {{"sql",
             "SELECT ext_ref, account, amount, note, updated_at, seq FROM arrangements WHERE "
             "updated_at > ? OR (updated_at = ? AND seq > ?) ORDER BY updated_at, seq"},
            {"params", json::array{json::object{{"name", "updated_at"}, {"type", "timestamp"}},
                                   json::object{{"name", "updated_at"}, {"type", "timestamp"}},
                                   json::object{{"name", "seq"}, {"type", "integer"}}}},
            {"cursor_columns", json::array{"updated_at", "seq"}},
            {"initial_cursor", {{"updated_at", "1970-01-01 00:00:00"}, {"seq", "0"}}}}},
          {"limited",
           {{"sql", "SELECT ext_ref, seq FROM arrangements WHERE seq > ? ORDER BY seq LIMIT ?"},
            {"params", json::array{json::object{{"name", "seq"}, {"type", "integer"}}, "$limit"}},
            {"cursor_columns", json::array{"seq"}},
            {"initial_cursor", {{"seq", "0"}}}}}}}}}};
  return cfg;
}

std::unique_ptr<AdapterHandle> OdbcPluginTest::adapter(const json::object& cfg) {
  auto a = std::make_unique<AdapterHandle>(plugin_->descriptor(), host_, json::serialize(cfg),
                                           "odbc-" + backend_name(backend()));
  EXPECT_TRUE(a->ok()) << a->error();
  return a;
}

std::string OdbcPluginTest::insert_record(const std::string& ext_ref, const json::value& account,
                                          const json::value& amount, const json::value& note) {
  json::object params{{"ext_ref", ext_ref}, {"account", account}, {"amount", amount}};
  if (!note.is_null()) params["note"] = note;
  return json::serialize(json::object{{"statement", "insert_arrangement"}, {"params", params}});
}

WriteOutcome OdbcPluginTest::write(AdapterHandle& a, const std::string& key,
                                   const std::string& record, int64_t deadline_ms) {
  WriteCall call;
  call.key = key;
  call.outcome_id = "outcome-" + key;
  call.record_json = record;
  call.deadline_unix_ms = host_.now_unix_ms() + deadline_ms;
  return a.write(call);
}

int64_t OdbcPluginTest::count(const std::string& sql) {
  auto rows = raw_->query(sql);
  if (rows.rows.empty() || !rows.rows[0][0]) return -1;
  return std::stoll(*rows.rows[0][0]);
}

void OdbcPluginTest::observed(const std::string& fault, const WriteOutcome& o) {
  std::cout << "OBSERVED | " << backend_name(backend()) << " | " << fault << " | "
            << class_name(o.write_class) << " | " << o.diagnostic << "\n";
}

}  // namespace coregate::testing::odbc
