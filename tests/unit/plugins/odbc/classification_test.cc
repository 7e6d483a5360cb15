// Classification of ODBC diagnostics, with the exact records observed from the real drivers in
// tests/integration/plugins/odbc (see docs/plugins/odbc.md) plus the standard SQLSTATE classes.
#include "plugins/odbc/classification.h"

#include <gtest/gtest.h>

namespace coregate::plugins::odbc {
namespace {

using sdk::WriteClass;

WriteClass before(const Diagnostics& d, Dialect dialect = Dialect::kGeneric) {
  return classify(d, dialect, Phase::kBeforeCommit).write_class;
}
WriteClass at_commit(const Diagnostics& d, Dialect dialect = Dialect::kGeneric) {
  return classify(d, dialect, Phase::kCommit).write_class;
}

TEST(OdbcClassification, ObservedPostgresRecords) {
  auto pg = Dialect::kPostgres;
  EXPECT_EQ(before({{"23505", 1, "ERROR: duplicate key value violates unique constraint"}}, pg),
            WriteClass::kRejected);
  EXPECT_EQ(before({{"23502", 1, "ERROR: null value in column \"account\""}}, pg),
            WriteClass::kRejected);
  EXPECT_EQ(before({{"22001", 1, "ERROR: value too long for type character varying(200)"}}, pg),
            WriteClass::kRejected);
  EXPECT_EQ(before({{"57014", 1, "ERROR: canceling statement due to statement timeout"}}, pg),
            WriteClass::kRetryable);
  EXPECT_EQ(before({{"40P01", 1, "ERROR: deadlock detected"}}, pg), WriteClass::kRetryable);
  EXPECT_EQ(before({{"40001", 1, "could not serialize access"}}, pg), WriteClass::kRetryable);
  auto lost =
      classify({{"08S01", 35, "FATAL: terminating connection due to administrator command"}}, pg,
               Phase::kBeforeCommit);
  EXPECT_EQ(lost.write_class, WriteClass::kRetryable);
  EXPECT_TRUE(lost.reconnect);
  EXPECT_EQ(before({{"08001", 101, "Connection refused"}}, pg), WriteClass::kRetryable);
}

TEST(OdbcClassification, ObservedMariadbRecordsUseNativeCodes) {
  auto my = Dialect::kMariadb;
  EXPECT_EQ(before({{"HY000", 1205, "Lock wait timeout exceeded"}}, my), WriteClass::kRetryable);
  EXPECT_EQ(before({{"40001", 1213, "Deadlock found when trying to get lock"}}, my),
            WriteClass::kRetryable);
  EXPECT_EQ(before({{"23000", 1062, "Duplicate entry 'R-C' for key 'PRIMARY'"}}, my),
            WriteClass::kRejected);
  EXPECT_EQ(before({{"22001", 1406, "Data too long for column 'note' at row 1"}}, my),
            WriteClass::kRejected);
  auto gone = classify({{"HY000", 2006, "MySQL server has gone away"}}, my, Phase::kBeforeCommit);
  EXPECT_EQ(gone.write_class, WriteClass::kRetryable);
  EXPECT_TRUE(gone.reconnect);
  EXPECT_TRUE(
      classify({{"HY000", 2002, "Can't connect to server"}}, my, Phase::kBeforeCommit).reconnect);
  EXPECT_EQ(before({{"08S01", 2013, "Lost connection to server during query"}}, my),
            WriteClass::kRetryable);
}

TEST(OdbcClassification, SqliteReportsHY000WithSqliteNativeCodes) {
  auto lite = Dialect::kSqlite;
  EXPECT_EQ(before({{"HY000", 5, "[SQLite]database is locked (5)"}}, lite), WriteClass::kRetryable);
  EXPECT_EQ(before({{"HY000", 6, "database table is locked"}}, lite), WriteClass::kRetryable);
  EXPECT_EQ(
      before({{"HY000", 19, "[SQLite]UNIQUE constraint failed: arrangements.ext_ref (19)"}}, lite),
      WriteClass::kRejected);
  // Extended result codes keep the primary code in the low byte (SQLITE_CONSTRAINT_PRIMARYKEY).
  EXPECT_EQ(before({{"HY000", 1555, "constraint"}}, lite), WriteClass::kRejected);
  EXPECT_EQ(before({{"HY000", 261, "busy recovery"}}, lite), WriteClass::kRetryable);
  // The same HY000/5 from a generic driver is not trusted as "busy": unknown, so retryable.
  EXPECT_EQ(fault_kind({{"HY000", 19, "x"}}, Dialect::kGeneric), FaultKind::kUnknown);
}

TEST(OdbcClassification, FailuresAtCommitAreAmbiguousUnlessPermanent) {
  EXPECT_EQ(at_commit({{"08S01", 0, "communication link failure"}}), WriteClass::kAmbiguous);
  EXPECT_EQ(at_commit({{"40001", 0, "serialization failure"}}), WriteClass::kAmbiguous);
  EXPECT_EQ(at_commit({{"HYT00", 0, "timeout expired"}}), WriteClass::kAmbiguous);
  EXPECT_EQ(at_commit({{"HY000", 0, "something odd"}}), WriteClass::kAmbiguous);
  // A deferred constraint failing at COMMIT means the server rolled back: known not applied.
  EXPECT_EQ(at_commit({{"23503", 0, "foreign key violation"}}), WriteClass::kRejected);
  EXPECT_EQ(at_commit({{"HY000", 1, "[SQLite]cannot commit - no transaction is active"}},
                      Dialect::kSqlite),
            WriteClass::kRejected);
}

TEST(OdbcClassification, StandardClassesAndUnknowns) {
  EXPECT_EQ(before({{"42601", 0, "syntax error"}}), WriteClass::kRejected);
  EXPECT_EQ(before({{"42S02", 0, "no such table"}}), WriteClass::kRejected);
  EXPECT_EQ(before({{"22003", 0, "numeric value out of range"}}), WriteClass::kRejected);
  EXPECT_EQ(before({{"28000", 0, "invalid authorization"}}), WriteClass::kRejected);
  EXPECT_EQ(before({{"HYT00", 0, "timeout"}}), WriteClass::kRetryable);
  EXPECT_EQ(before({{"55P03", 0, "lock not available"}}), WriteClass::kRetryable);
  EXPECT_EQ(before({{"53300", 0, "too many connections"}}), WriteClass::kRetryable);
  EXPECT_EQ(before({{"57P01", 0, "admin shutdown"}}), WriteClass::kRetryable);
  EXPECT_EQ(before({{"HY000", 0, "mystery"}}), WriteClass::kRetryable);  // unknown: attempts cap it
  EXPECT_EQ(before({}), WriteClass::kRetryable);
  // A connection-loss message wins over a misleading SQLSTATE.
  auto v = classify({{"HY000", 0, "server closed the connection unexpectedly"}}, Dialect::kGeneric,
                    Phase::kBeforeCommit);
  EXPECT_TRUE(v.reconnect);
  // The first matching record decides (warnings such as 01000 are skipped).
  EXPECT_EQ(before({{"01000", 0, "warning"}, {"40P01", 0, "deadlock"}}), WriteClass::kRetryable);
}

TEST(OdbcClassification, ColumnNamedInDriverMessages) {
  EXPECT_EQ(column_named_in("Data too long for column 'note' at row 1"), "note");
  EXPECT_EQ(column_named_in("Column 'account' cannot be null"), "account");
  EXPECT_EQ(column_named_in("ERROR: null value in column \"account\" of relation \"t\""),
            "account");
  EXPECT_EQ(column_named_in("[SQLite]NOT NULL constraint failed: arrangements.account (19)"),
            "account");
  EXPECT_EQ(column_named_in("ERROR: value too long for type character varying(200)"), std::nullopt);
  EXPECT_EQ(column_named_in("column ''"), std::nullopt);
  EXPECT_EQ(column_named_in("ERROR: duplicate key value violates unique constraint \"t_pkey\"\n"
                            "DETAIL: Key (ext_ref)=(R-C) already exists."),
            "ext_ref");
}

TEST(OdbcClassification, DialectFromConnectionString) {
  EXPECT_EQ(dialect_from("Driver=SQLite3;Database=/tmp/x.db"), Dialect::kSqlite);
  EXPECT_EQ(dialect_from("Driver=PostgreSQL Unicode;Server=h"), Dialect::kPostgres);
  EXPECT_EQ(dialect_from("Driver={MariaDB Unicode};Server=h"), Dialect::kMariadb);
  EXPECT_EQ(dialect_from("DSN=core"), Dialect::kGeneric);
  EXPECT_EQ(describe({{"40P01", 1, "deadlock"}, {"01000", 0, "w"}}),
            "SQLSTATE 40P01 (native 1): deadlock; SQLSTATE 01000 (native 0): w");
}

}  // namespace
}  // namespace coregate::plugins::odbc
