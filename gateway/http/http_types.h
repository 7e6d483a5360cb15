// The message types every handler sees. Request bodies are held in memory as strings, bounded by
// the server's body limit. Responses are strings too, except server-sent event streams
// (sse_stream.h), which the server writes incrementally.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coregate::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Status = boost::beast::http::status;
using Verb = boost::beast::http::verb;

// Values captured by {name} segments of a route pattern, in pattern order.
class PathParams {
 public:
  void add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  // Empty view when the pattern had no such parameter.
  std::string_view get(std::string_view name) const {
    for (const auto& [key, value] : items_) {
      if (key == name) return value;
    }
    return {};
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// One request as handed to a handler. The handler owns it (it may move it into async work).
struct IncomingRequest {
  Request message;
  std::string path;   // the target's path, percent-decoded per segment by the router
  std::string query;  // raw query string, without '?'
  PathParams params;
};

// Value of a query parameter (percent-decoded, '+' as space); nullopt when absent.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace coregate::http
