// `coregate audit verify|export` (the real binary) on a real store file written by the real
// SQLite store, then tampered with through SQLite the way an attacker with file access would:
// an edited field, an edited field with its hash recomputed, a deleted row, two rows swapped.
#include <sqlite3.h>
#include <boost/json.hpp>

#include <future>
#include <sstream>

#include "gateway/store/audit_chain.h"
#include "gateway/store/sqlite_outcome_store.h"
#include "tests/integration/cli/cli_test_support.h"

namespace coregate::testing {
namespace {

namespace json = boost::json;

struct Row {
  int64_t seq, at_ms;
  std::string principal, action, object_id, detail, prev_hash, hash;
};

class AuditCommand : public ::testing::Test {
 protected:
  void SetUp() override { store_file_ = dir_.path() / "var" / "store.db"; }

  void fill(int outcomes) {
    store::SqliteStoreOptions options;
    options.path = store_file_;
    store::SqliteOutcomeStore store(options);
    for (int i = 1; i <= outcomes; ++i) {
      store::NewOutcome o;
      o.id = "outcome-" + std::to_string(i);
      o.principal = i % 2 ? "workflow" : "billing";
      o.idempotency_key = "key-" + std::to_string(i);
      o.fingerprint.fill(static_cast<unsigned char>(i));
      o.type = "arrangement.promise_to_pay";
      o.subject = "ACC-" + std::to_string(i);
      o.body_json = R"({"type":"arrangement.promise_to_pay"})";
      o.response_body = R"({"id":")" + o.id + R"("})";
      std::promise<store::AcceptStatus> done;
      ASSERT_TRUE(
          store.submit(std::move(o), [&](store::AcceptResult&& r) { done.set_value(r.status); }));
      ASSERT_EQ(done.get_future().get(), store::AcceptStatus::kAccepted);
    }
    store.stop();
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(store_file_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &error);
    std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message << " in " << statement;
  }

  std::vector<Row> rows() {
    std::vector<Row> result;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(store_file_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT seq, at_ms, principal, action, object_id, detail, prev_hash, hash "
                       "FROM audit_log ORDER BY seq",
                       -1, &s, nullptr);
    auto text = [&](int c) {
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c)));
    };
    while (sqlite3_step(s) == SQLITE_ROW) {
      result.push_back({sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), text(2), text(3),
                        text(4), text(5), text(6), text(7)});
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return result;
  }

  ProcessResult audit(std::vector<std::string> args) {
    args.insert(args.begin(), "audit");
    return coregate(std::move(args));
  }

  ScratchDir dir_;
  std::filesystem::path store_file_;
};

TEST_F(AuditCommand, AnUntouchedChainIsIntactAndNamesItsHead) {
  fill(5);
  const auto stored = rows();
  ASSERT_EQ(stored.size(), 5u);
  auto r = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "audit chain intact: 5 records, head " + stored.back().hash + "\n");
}

TEST_F(AuditCommand, TheStoreCanBeNamedByTheGatewayConfig) {
  fill(2);
  // store.path is relative to the config file, exactly as `serve` reads it.
  auto config = dir_.write("coregate.json", R"({"store": {"path": "var/store.db"}})");
  auto r = audit({"verify", "--config", config.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("audit chain intact: 2 records"), std::string::npos) << r.out;
  auto bad = dir_.write("bad.json", R"({"store": {"backend": "postgres"}})");
  auto refused = audit({"verify", "--config", bad.string()});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("postgres"), std::string::npos) << refused.err;
}

TEST_F(AuditCommand, AnEmptyLogIsIntactAtTheGenesisHash) {
  fill(0);
  auto r = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "audit chain intact: 0 records, head " + std::string(64, '0') + "\n");
}

TEST_F(AuditCommand, AnEditedDetailIsAHashMismatchAtThatRecord) {
  fill(5);
  sql(R"(UPDATE audit_log SET detail = replace(detail, 'ACC-3', 'ACC-9') WHERE seq = 3)");
  auto r = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("audit chain BROKEN at seq 3: hash mismatch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 records before it are intact"), std::string::npos) << r.err;
}

TEST_F(AuditCommand, AnEditWithItsHashRecomputedBreaksTheNextLink) {
  fill(5);
  auto stored = rows();
  const Row& r3 = stored[2];
  const std::string forged = store::audit_record_hash(r3.prev_hash, r3.seq, r3.at_ms, "mallory",
                                                      r3.action, r3.object_id, r3.detail);
  sql("UPDATE audit_log SET principal = 'mallory', hash = '" + forged + "' WHERE seq = 3");
  auto r = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("audit chain BROKEN at seq 4: broken link"), std::string::npos) << r.err;
}

TEST_F(AuditCommand, ADeletedRecordIsAGap) {
  fill(5);
  sql("DELETE FROM audit_log WHERE seq = 3");
  auto r = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("audit chain BROKEN at seq 3: gap: record 3 missing (the next record is 4)"),
            std::string::npos)
      << r.err;
  sql("DELETE FROM audit_log WHERE seq = 1");
  auto first = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(first.exit_code, 1);
  EXPECT_NE(first.err.find("BROKEN at seq 1: gap"), std::string::npos) << first.err;
}

TEST_F(AuditCommand, SwappedRecordsAreCaughtAtTheFirstOfThem) {
  fill(5);
  // Swap the contents of records 2 and 4, keeping the seq numbers in place.
  sql("UPDATE audit_log SET seq = -2 WHERE seq = 2;"
      "UPDATE audit_log SET seq = 2 WHERE seq = 4;"
      "UPDATE audit_log SET seq = 4 WHERE seq = -2;");
  auto r = audit({"verify", "--store", store_file_.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("audit chain BROKEN at seq 2:"), std::string::npos) << r.err;
}

TEST_F(AuditCommand, AStoreThatCannotBeReadExits2AndIsNotCreated) {
  auto missing = audit({"verify", "--store", (dir_.path() / "nope.db").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "nope.db"));
  auto text = dir_.write("text.db", "this is not a database, just some text long enough to look");
  auto not_sqlite = audit({"verify", "--store", text.string()});
  EXPECT_EQ(not_sqlite.exit_code, 2);
  EXPECT_NE(not_sqlite.err.find(text.string()), std::string::npos) << not_sqlite.err;
  const auto other = dir_.path() / "other.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto no_table = audit({"export", "--store", other.string()});
  EXPECT_EQ(no_table.exit_code, 2);
  EXPECT_NE(no_table.err.find("no audit_log table"), std::string::npos) << no_table.err;
  auto directory = audit({"verify", "--store", dir_.path().string()});
  EXPECT_EQ(directory.exit_code, 2);
  auto neither = audit({"verify"});
  EXPECT_EQ(neither.exit_code, 2);
  auto both = audit({"verify", "--store", "a", "--config", "b"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("exactly one of"), std::string::npos);
}

TEST_F(AuditCommand, ExportWritesOneJsonLinePerRecordMatchingTheStore) {
  fill(4);
  const auto stored = rows();
  auto r = audit({"export", "--store", store_file_.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  size_t index = 0;
  while (std::getline(lines, line)) {
    ASSERT_LT(index, stored.size());
    const Row& row = stored[index++];
    const json::object record = json::parse(line).as_object();
    std::vector<std::string> keys;
    for (const auto& member : record) keys.emplace_back(member.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"seq", "at", "principal", "action", "object_id",
                                              "detail", "prev_hash", "hash"}));
    EXPECT_EQ(record.at("seq").as_int64(), row.seq);
    EXPECT_EQ(record.at("principal").as_string(), row.principal);
    EXPECT_EQ(record.at("action").as_string(), "outcome.accepted");
    EXPECT_EQ(record.at("object_id").as_string(), row.object_id);
    EXPECT_EQ(record.at("detail"), json::parse(row.detail));
    EXPECT_TRUE(record.at("detail").is_object());
    EXPECT_EQ(record.at("prev_hash").as_string(), row.prev_hash);
    EXPECT_EQ(record.at("hash").as_string(), row.hash);
    // RFC 3339, UTC, milliseconds: the same instant as at_ms.
    const std::string at(record.at("at").as_string());
    ASSERT_EQ(at.size(), 24u) << at;
    EXPECT_EQ(at.back(), 'Z');
    EXPECT_EQ(std::stoll(at.substr(20, 3)), row.at_ms % 1000) << at;
    std::tm tm{};
    ASSERT_NE(strptime(at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm), nullptr);
    EXPECT_EQ(static_cast<int64_t>(timegm(&tm)), row.at_ms / 1000) << at;
  }
  EXPECT_EQ(index, stored.size());
}

TEST_F(AuditCommand, ExportSinceAndToAFile) {
  fill(5);
  const auto out = dir_.path() / "audit.jsonl";
  auto r =
      audit({"export", "--store", store_file_.string(), "--since", "3", "--output", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("exported 3 audit records"), std::string::npos) << r.err;
  std::ifstream in(out);
  std::vector<int64_t> seqs;
  for (std::string line; std::getline(in, line);) {
    seqs.push_back(json::parse(line).at("seq").as_int64());
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{3, 4, 5}));
  for (const char* bad : {"0", "-1", "x", "3x"}) {
    auto refused = audit({"export", "--store", store_file_.string(), "--since", bad});
    EXPECT_EQ(refused.exit_code, 2) << bad;
  }
  auto unwritable = audit({"export", "--store", store_file_.string(), "--output",
                           (dir_.path() / "no" / "such" / "dir.jsonl").string()});
  EXPECT_EQ(unwritable.exit_code, 2);
}

TEST_F(AuditCommand, HelpAndUnknownSubcommands) {
  auto help = audit({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: coregate audit"), std::string::npos) << help.out;
  auto export_help = audit({"export", "--help"});
  EXPECT_EQ(export_help.exit_code, 0);
  EXPECT_NE(export_help.out.find("--since SEQ"), std::string::npos) << export_help.out;
  EXPECT_EQ(audit({}).exit_code, 2);
  EXPECT_EQ(audit({"repair", "--store", "x"}).exit_code, 2);
  EXPECT_EQ(audit({"verify", "--store", "x", "extra"}).exit_code, 2);
}

TEST_F(AuditCommand, VerifyNeverWritesTheStore) {
  fill(3);
  const auto before = std::filesystem::last_write_time(store_file_);
  const auto size = std::filesystem::file_size(store_file_);
  ASSERT_EQ(audit({"verify", "--store", store_file_.string()}).exit_code, 0);
  EXPECT_EQ(std::filesystem::last_write_time(store_file_), before);
  EXPECT_EQ(std::filesystem::file_size(store_file_), size);
}

}  // namespace
}  // namespace coregate::testing
