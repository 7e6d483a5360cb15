// The JSON-lines form of an audit record for `coregate audit export` (docs/cli.md):
//   {"seq", "at" (RFC 3339 UTC, milliseconds), "principal", "action", "object_id",
//    "detail" (the stored JSON, parsed), "prev_hash", "hash"}
// A detail that is not JSON (only a tampered store has one) is exported as a string.
#pragma once

#include <cstdint>
#include <string>

#include "gateway/cli/audit_log_reader.h"

namespace coregate::cli {

// "2026-11-22T18:47:24.123Z". Milliseconds since the Unix epoch; negative values work too.
std::string rfc3339_utc_ms(int64_t at_ms);

// One line of JSON, without the newline. `detail_is_json` is set false when detail did not parse.
std::string audit_record_json_line(const AuditRecord& record, bool* detail_is_json = nullptr);

}  // namespace coregate::cli
