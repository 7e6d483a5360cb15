#include "tests/e2e/e2e_outcomes.h"

#include <cstdio>
#include <cstdlib>

namespace coregate::testing::e2e {

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  const int value = std::atoi(text);
  return value > 0 ? value : fallback;
}

std::string promise_amount(int index) {
  char text[32];
  std::snprintf(text, sizeof text, "%d.%02d", 1 + index % 9000, index % 100);
  return text;
}

std::string promise_body(int index, const std::string& client_ref, int subjects) {
  char account[16];
  std::snprintf(account, sizeof account, "A%05d", index % subjects);
  return std::string("{\"type\":\"arrangement.promise_to_pay\",\"subject\":\"account:") + account +
         "\",\"data\":{\"account\":{\"account_id\":\"" + account +
         "\",\"system\":\"core_banking\"},\"amount\":{\"value\":\"" + promise_amount(index) +
         "\",\"currency\":\"ZAR\"},\"promised_date\":\"2026-12-01\",\"note\":\"" + client_ref +
         "\"}}";
}

AttemptTally tally_attempts(const std::vector<boost::json::object>& details) {
  AttemptTally tally;
  for (const auto& outcome : details) {
    const auto* attempts = outcome.if_contains("attempts");
    if (attempts == nullptr || !attempts->is_array()) continue;
    const auto& list = attempts->as_array();
    tally.attempts += static_cast<int>(list.size());
    if (list.size() > 1) ++tally.outcomes_with_several_attempts;
    for (const auto& attempt : list) {
      const auto* classification = attempt.as_object().if_contains("classification");
      const std::string name = classification != nullptr && classification->is_string()
                                   ? std::string(classification->as_string())
                                   : std::string("unfinished");
      ++tally.by_classification[name];
    }
  }
  return tally;
}

std::string describe(const AttemptTally& tally) {
  std::string text = std::to_string(tally.attempts) + " attempts (";
  bool first = true;
  for (const auto& [name, count] : tally.by_classification) {
    text += (first ? "" : ", ") + name + " " + std::to_string(count);
    first = false;
  }
  return text + "), " + std::to_string(tally.outcomes_with_several_attempts) +
         " outcomes needed more than one";
}

}  // namespace coregate::testing::e2e
