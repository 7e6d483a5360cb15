// What the e2e tests read back from a running gateway over its public HTTP API: the outcomes
// (all pages, optionally filtered by status), the exception queue, and one /metrics gauge.
// Each call opens its own connection; errors throw std::runtime_error naming the request.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coregate::testing::e2e {

// GET /v1/outcomes?limit=200[&status=S], following next_cursor to the end.
std::vector<boost::json::object> list_outcomes(uint16_t port, const std::string& token,
                                               const std::string& status = "");

// GET /v1/exceptions (every page): the summaries (id, outcome_id, cause, last_error, ...).
std::vector<boost::json::object> list_exceptions(uint16_t port, const std::string& token);

// GET /v1/outcomes/{id} for each id, on one keep-alive connection: status, steps (with
// system_reference), attempts (with classification). Same order as `ids`.
std::vector<boost::json::object> outcome_details(uint16_t port, const std::string& token,
                                                 const std::vector<std::string>& ids);

// The value of an unlabelled gauge or counter in GET /metrics, nullopt when absent.
std::optional<double> metric_value(uint16_t port, const std::string& name);

}  // namespace coregate::testing::e2e
