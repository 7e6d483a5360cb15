#include "gateway/cli/audit_chain_check.h"

#include "gateway/store/audit_chain.h"

namespace coregate::cli {

ChainVerdict check_audit_chain(AuditLogReader& reader) {
  ChainVerdict verdict;
  verdict.head = store::audit_genesis_hash();
  int64_t expected_seq = 1;
  reader.for_each(0, [&](const AuditRecord& r) {
    auto fail = [&](ChainFault fault, int64_t seq, std::string problem) {
      verdict.fault = fault;
      verdict.bad_seq = seq;
      verdict.problem = std::move(problem);
      return false;
    };
    if (r.seq != expected_seq) {
      if (r.seq > expected_seq) {
        return fail(ChainFault::kGap, expected_seq,
                    "gap: record " + std::to_string(expected_seq) +
                        (r.seq - 1 > expected_seq ? " to " + std::to_string(r.seq - 1) : "") +
                        " missing (the next record is " + std::to_string(r.seq) + ")");
      }
      return fail(ChainFault::kGap, r.seq,
                  "gap: record " + std::to_string(r.seq) + " found where " +
                      std::to_string(expected_seq) + " was expected");
    }
    if (r.prev_hash != verdict.head) {
      return fail(
          ChainFault::kBrokenLink, r.seq,
          "broken link: prev_hash " + r.prev_hash + " is not the hash of " +
              (r.seq == 1 ? std::string("the genesis") : "record " + std::to_string(r.seq - 1)) +
              " (" + verdict.head + ")");
    }
    const std::string computed = store::audit_record_hash(r.prev_hash, r.seq, r.at_ms, r.principal,
                                                          r.action, r.object_id, r.detail);
    if (computed != r.hash) {
      return fail(ChainFault::kHashMismatch, r.seq,
                  "hash mismatch: the stored hash " + r.hash +
                      " is not the hash of the record's fields (" + computed +
                      "); the record was edited");
    }
    verdict.head = r.hash;
    ++verdict.records;
    ++expected_seq;
    return true;
  });
  return verdict;
}

}  // namespace coregate::cli
