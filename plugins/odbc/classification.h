// Pure classification of ODBC diagnostics into the five write classes (DESIGN §3). No ODBC calls
// here, so the rules are unit-tested without a driver. The table it implements is in
// docs/plugins/odbc.md ("Classification").
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <coregate/sdk/results.h>

namespace coregate::plugins::odbc {

// One SQLGetDiagRec record, message already converted to UTF-8.
struct DiagRecord {
  std::string sqlstate;  // five characters, e.g. "40P01"
  int64_t native = 0;    // the driver's or server's own code (MariaDB 1213, SQLite 5 ...)
  std::string message;
};

// Every record of one failed call, in the order the driver returned them.
using Diagnostics = std::vector<DiagRecord>;

// Where in the transaction the failure happened: before COMMIT nothing can have been applied; at
// or after COMMIT the server may have committed before the answer was lost.
enum class Phase { kBeforeCommit, kCommit };

// The kind of target, for driver quirks keyed by native code.
enum class Dialect { kGeneric, kSqlite, kPostgres, kMariadb };

// Guesses the dialect from the connection string or the driver name (SQLGetInfo SQL_DRIVER_NAME).
Dialect dialect_from(std::string_view connection_string_or_driver_name);
std::string_view dialect_name(Dialect dialect);

enum class FaultKind {
  kConnection,  // the connection is gone (08xxx, 57P0x, server gone away): reconnect
  kTransient,   // serialization, deadlock, lock timeout, busy, cancel by timeout
  kPermanent,   // integrity, data, syntax, access: retrying cannot help
  kUnknown,     // nothing matched: treated as transient before COMMIT (attempts are capped)
};

struct Verdict {
  sdk::WriteClass write_class = sdk::WriteClass::kAmbiguous;
  FaultKind kind = FaultKind::kUnknown;
  bool reconnect = false;  // drop the connection from the pool before reusing it
};

// The kind of fault the records describe. The first record that matches a rule decides.
FaultKind fault_kind(const Diagnostics& records, Dialect dialect);

// The write class for a failure in `phase`.
Verdict classify(const Diagnostics& records, Dialect dialect, Phase phase);

// The column a driver's message names ('Data too long for column 'x'', 'null value in column "x"',
// 'NOT NULL constraint failed: t.x'), if any.
std::optional<std::string> column_named_in(std::string_view message);

// "SQLSTATE 23505 (native 7): message; SQLSTATE ..." — every record, for the diagnostic.
std::string describe(const Diagnostics& records);

}  // namespace coregate::plugins::odbc
