// The SQLite schema as an ordered list of migrations; PRAGMA user_version records how many were
// applied. Migrations are append-only: never edit one that has shipped, add the next.
#pragma once

#include "gateway/store/sqlite_handle.h"

namespace coregate::store {

// Number of migrations this build knows.
int sqlite_schema_version();

// Applies the missing migrations in one transaction each. Throws StoreError when the file's
// version is NEWER than this build (refusing to run an old binary on a migrated store).
void migrate_sqlite_schema(Database& db);

}  // namespace coregate::store
