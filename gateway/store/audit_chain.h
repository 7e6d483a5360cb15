// The audit log's hash chain (DESIGN §4). Each record's hash covers the previous record's hash and
// every field of its own, so editing, deleting or reordering any record breaks every later hash;
// `coregate audit verify` recomputes the chain with audit_record_hash().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace coregate::store {

// The hash before the first record: 64 '0' characters.
const std::string& audit_genesis_hash();

// Lower-case hex SHA-256 of
//   prev_hash "\n" seq "\n" at_ms "\n" principal "\n" action "\n" object_id "\n" detail
// (integers in decimal). Fields are length-unambiguous because none may contain '\n' except
// detail, which is last.
std::string audit_record_hash(std::string_view prev_hash, int64_t seq, int64_t at_ms,
                              std::string_view principal, std::string_view action,
                              std::string_view object_id, std::string_view detail);

}  // namespace coregate::store
