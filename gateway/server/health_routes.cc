#include "gateway/server/health_routes.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "gateway/http/problem.h"

namespace coregate::server {

void add_health_routes(http::Router& router, std::vector<ReadinessCheck> checks) {
  router.add(http::Verb::get, "/healthz", [](http::IncomingRequest&&, http::Responder responder) {
    responder.send(http::json_response(http::Status::ok, boost::json::object{{"status", "ok"}}));
  });
  router.add(
      http::Verb::get, "/readyz",
      [checks = std::move(checks)](http::IncomingRequest&&, http::Responder responder) {
        boost::json::object results;
        boost::json::array failing;
        for (const auto& item : checks) {
          const std::string problem = item.check();
          results[item.name] = problem.empty() ? "ok" : problem;
          if (!problem.empty()) failing.emplace_back(item.name);
        }
        if (failing.empty()) {
          responder.send(http::json_response(
              http::Status::ok, boost::json::object{{"status", "ready"}, {"checks", results}}));
          return;
        }
        responder.send(http::problem_response(
            http::Status::service_unavailable, "not-ready", "Service Unavailable",
            "Not ready: " + std::to_string(failing.size()) + " check(s) failing.",
            boost::json::object{{"checks", results}, {"failing", failing}}));
      });
}

}  // namespace coregate::server
