#include "tests/e2e/gateway_api.h"

#include <boost/json/serialize.hpp>

#include <sstream>
#include <stdexcept>

#include "tests/integration/intake/test_client.h"

namespace coregate::testing::e2e {
namespace {

namespace http = boost::beast::http;

boost::json::object get_json(TestClient& client, const std::string& target,
                             const std::string& token) {
  Reply reply = client.request(http::verb::get, target, "", {{"Authorization", "Bearer " + token}});
  if (reply.status != 200) {
    throw std::runtime_error("GET " + target + " answered " + std::to_string(reply.status) + ": " +
                             reply.body);
  }
  auto value = reply.json();
  if (!value.is_object()) throw std::runtime_error("GET " + target + ": not a JSON object");
  return value.as_object();
}

// Pages through a list endpoint that answers {"items": [...], "next_cursor": ...}.
std::vector<boost::json::object> list_all(uint16_t port, const std::string& token,
                                          const std::string& first_target) {
  TestClient client(port);
  std::vector<boost::json::object> items;
  std::string target = first_target;
  for (;;) {
    auto page = get_json(client, target, token);
    for (auto& item : page["items"].as_array()) items.push_back(item.as_object());
    const auto* next = page.if_contains("next_cursor");
    if (next == nullptr || !next->is_string()) return items;
    const std::string separator = first_target.find('?') == std::string::npos ? "?" : "&";
    target = first_target + separator + "cursor=" + std::string(next->as_string());
  }
}

}  // namespace

std::vector<boost::json::object> list_outcomes(uint16_t port, const std::string& token,
                                               const std::string& status) {
  return list_all(port, token,
                  "/v1/outcomes?limit=200" + (status.empty() ? "" : "&status=" + status));
}

std::vector<boost::json::object> list_exceptions(uint16_t port, const std::string& token) {
  return list_all(port, token, "/v1/exceptions?limit=200");
}

std::vector<boost::json::object> outcome_details(uint16_t port, const std::string& token,
                                                 const std::vector<std::string>& ids) {
  TestClient client(port);
  std::vector<boost::json::object> details;
  details.reserve(ids.size());
  for (const auto& id : ids) details.push_back(get_json(client, "/v1/outcomes/" + id, token));
  return details;
}

std::optional<double> metric_value(uint16_t port, const std::string& name) {
  TestClient client(port);
  Reply reply = client.request(http::verb::get, "/metrics");
  if (reply.status != 200) {
    throw std::runtime_error("GET /metrics answered " + std::to_string(reply.status));
  }
  std::istringstream lines(reply.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ' ') {
      return std::stod(line.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace coregate::testing::e2e
