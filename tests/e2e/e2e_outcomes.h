// What the e2e tests post and how they summarise it: promise-to-pay bodies that carry the
// client's own request id (so a target row can be traced to exactly one client request), run
// sizes from the environment, and a tally of the engine's attempts read back over the API.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

namespace coregate::testing::e2e {

// An integer from the environment (e.g. COREGATE_E2E_OUTCOMES), or `fallback`.
int env_int(const char* name, int fallback);

// A valid arrangement.promise_to_pay body for outcome `index`: subject "account:A<n>" over
// `subjects` accounts (per-subject FIFO has work to do), a decimal amount derived from the index,
// and data.note = `client_ref`.
std::string promise_body(int index, const std::string& client_ref, int subjects = 500);

// The amount promise_body wrote for `index`, as PostgreSQL prints NUMERIC(14,2).
std::string promise_amount(int index);

struct AttemptTally {
  std::map<std::string, int> by_classification;  // APPLIED, ALREADY_APPLIED, in_doubt, ...
  int attempts = 0;
  int outcomes_with_several_attempts = 0;
};

// Over GET /v1/outcomes/{id} details.
AttemptTally tally_attempts(const std::vector<boost::json::object>& details);
std::string describe(const AttemptTally& tally);

}  // namespace coregate::testing::e2e
