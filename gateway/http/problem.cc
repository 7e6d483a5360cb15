#include "gateway/http/problem.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace coregate::http {

std::string problem_type_uri(std::string_view slug) {
  return "urn:coregate:problem:" + std::string(slug);
}

Response problem_response(Status status, std::string_view slug, std::string_view title,
                          std::string_view detail, boost::json::object extensions) {
  boost::json::object body;
  body["type"] = problem_type_uri(slug);
  body["title"] = title;
  body["status"] = static_cast<int>(status);
  body["detail"] = detail;
  for (auto& member : extensions) body[member.key()] = std::move(member.value());
  Response response{status, 11};
  response.set(boost::beast::http::field::content_type, "application/problem+json");
  response.body() = boost::json::serialize(body);
  return response;
}

Response json_response(Status status, const boost::json::value& body) {
  Response response{status, 11};
  response.set(boost::beast::http::field::content_type, "application/json");
  response.body() = boost::json::serialize(body);
  return response;
}

}  // namespace coregate::http
