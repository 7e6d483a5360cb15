// Applies the engine's writes (engine_records.h) inside the writer's open transaction. Private to
// gateway/store. Throws StoreError on a database error (the caller rolls the whole batch back);
// a refusal that is the caller's fault (an exception that is not open) is a result, not a throw.
#pragma once

#include "gateway/store/engine_records.h"
#include "gateway/store/sqlite_connections.h"

namespace coregate::store {

EngineWriteResult apply_engine_write(Writer& writer, AuditHead& audit, const EngineWrite& write);

}  // namespace coregate::store
