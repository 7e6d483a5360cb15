// GET /healthz (liveness: the process serves HTTP) and GET /readyz (readiness: every registered
// check passes; 503 problem naming the failing ones otherwise).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/http/router.h"

namespace coregate::server {

// A readiness check: returns an empty string when ready, else why not. Called on an I/O thread;
// must be cheap and thread-safe.
struct ReadinessCheck {
  std::string name;
  std::function<std::string()> check;
};

void add_health_routes(http::Router& router, std::vector<ReadinessCheck> checks);

}  // namespace coregate::server
