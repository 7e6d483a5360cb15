#include "gateway/auth/request_authorization.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>

#include "gateway/http/problem.h"

namespace coregate::auth {

const Principal* authorize_request(const TokenAuthenticator& authenticator,
                                   const http::Request& message, Scope scope,
                                   const http::Responder& responder) {
  namespace field = boost::beast::http;
  using http::Status;
  const auto header = message[field::field::authorization];
  const auto result = authenticator.authenticate(std::string_view(header.data(), header.size()));
  if (result.principal == nullptr) {
    std::string detail = result.failure == AuthFailure::kMissing
                             ? "Send Authorization: Bearer <token>."
                         : result.failure == AuthFailure::kMalformed
                             ? "The Authorization header must be 'Bearer <token>'."
                             : "The bearer token is not valid.";
    auto response =
        http::problem_response(Status::unauthorized, "unauthorized", "Unauthorized", detail);
    response.set(field::field::www_authenticate, "Bearer realm=\"coregate\"");
    responder.send(std::move(response));
    return nullptr;
  }
  if (!result.principal->has(scope)) {
    responder.send(
        http::problem_response(Status::forbidden, "forbidden", "Forbidden",
                               "The token '" + result.principal->name + "' lacks the scope " +
                                   std::string(scope_name(scope)) + ".",
                               boost::json::object{{"required_scope", scope_name(scope)}}));
    return nullptr;
  }
  return result.principal;
}

}  // namespace coregate::auth
