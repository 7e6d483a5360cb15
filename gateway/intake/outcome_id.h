// Outcome ids: UUIDv7 (RFC 9562) in lower-case text — time-ordered, so ids sort by acceptance
// time and index well, and unguessable enough (74 random bits) for an API id.
#pragma once

#include <string>

namespace coregate::intake {

// Thread-safe (per-thread generator).
std::string new_outcome_id();

}  // namespace coregate::intake
