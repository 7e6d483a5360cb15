// Maps (method, path) to a handler. Patterns are literal segments and {name} captures:
// "/v1/outcomes/{id}". Unknown path -> 404, known path with another method -> 405 + Allow.
// Routes are added before the server starts; matching is then read-only and thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "gateway/http/http_types.h"
#include "gateway/http/responder.h"

namespace coregate::http {

using Handler = std::function<void(IncomingRequest&& request, Responder responder)>;

class Router {
 public:
  // Throws std::invalid_argument for a malformed pattern (must start with '/').
  void add(Verb method, std::string pattern, Handler handler);

  // Splits the target, matches, fills path/query/params and calls the handler, or answers
  // 404/405/400 itself. Exceptions from a handler become a 500 problem.
  void dispatch(Request&& message, Responder responder) const;

 private:
  struct Route {
    Verb method;
    std::string pattern;
    std::vector<std::string> segments;  // "{id}" kept verbatim for captures
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace coregate::http
