// Recomputes the audit hash chain (gateway/store/audit_chain.h) over a store's audit_log, for
// `coregate audit verify`. The chain shows any edit, deletion, insertion or reordering of records
// before the head; deleting records at the END leaves a shorter, valid chain, which is why the
// verdict reports the head hash: compare it with one recorded earlier (or exported elsewhere).
#pragma once

#include <cstdint>
#include <string>

#include "gateway/cli/audit_log_reader.h"

namespace coregate::cli {

enum class ChainFault {
  kNone,
  kGap,           // seq is not the previous seq + 1 (a record deleted or inserted)
  kBrokenLink,    // prev_hash is not the previous record's hash
  kHashMismatch,  // hash is not the hash of this record's fields (a field edited)
};

struct ChainVerdict {
  int64_t records = 0;  // records checked and found good
  std::string head;     // the last good record's hash (the genesis hash when none)
  ChainFault fault = ChainFault::kNone;
  int64_t bad_seq = 0;  // the first seq that is wrong (for a gap: the missing one)
  std::string problem;  // what is wrong there, for people
  bool intact() const { return fault == ChainFault::kNone; }
};

// Walks the whole log in seq order and stops at the first fault. Throws AuditReadError.
ChainVerdict check_audit_chain(AuditLogReader& reader);

}  // namespace coregate::cli
