#include "gateway/http/router.h"

#include <boost/beast/http/field.hpp>
#include <stdexcept>
#include <string_view>

#include "gateway/http/problem.h"

namespace coregate::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes; returns false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

bool is_capture(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  size_t start = 0;
  while (start <= query.size()) {
    const size_t amp = query.find('&', start);
    const size_t end = amp == std::string_view::npos ? query.size() : amp;
    const std::string_view pair = query.substr(start, end - start);
    const size_t eq = pair.find('=');
    std::string key;
    if (percent_decode(pair.substr(0, eq), key, true) && key == name) {
      std::string value;
      if (eq == std::string_view::npos) return std::string();
      if (percent_decode(pair.substr(eq + 1), value, true)) return value;
      return std::nullopt;
    }
    if (amp == std::string_view::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

void Router::add(Verb method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  }
  Route route{method, pattern, {}, std::move(handler)};
  for (auto part : split_path(pattern)) route.segments.emplace_back(part);
  routes_.push_back(std::move(route));
}

void Router::dispatch(Request&& message, Responder responder) const {
  const std::string_view target(message.target().data(), message.target().size());
  const size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  if (raw_path.empty() || raw_path.front() != '/') {
    responder.send(problem_response(Status::bad_request, "bad-target", "Bad Request",
                                    "The request target must be an absolute path."));
    return;
  }
  const auto parts = split_path(raw_path);
  std::string allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    PathParams params;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      if (is_capture(route.segments[i])) {
        std::string decoded;
        if (parts[i].empty() || !percent_decode(parts[i], decoded, false)) {
          match = false;
        } else {
          params.add(route.segments[i].substr(1, route.segments[i].size() - 2), std::move(decoded));
        }
      } else if (route.segments[i] != parts[i]) {
        match = false;
      }
    }
    if (!match) continue;
    if (route.method != message.method()) {
      if (!allowed.empty()) allowed += ", ";
      allowed += std::string(boost::beast::http::to_string(route.method));
      continue;
    }
    IncomingRequest request;
    request.path = std::string(raw_path);
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    request.params = std::move(params);
    request.message = std::move(message);
    try {
      route.handler(std::move(request), responder);
    } catch (const std::exception& e) {
      responder.send(problem_response(Status::internal_server_error, "internal-error",
                                      "Internal Server Error", e.what()));
    }
    return;
  }
  if (!allowed.empty()) {
    auto response =
        problem_response(Status::method_not_allowed, "method-not-allowed", "Method Not Allowed",
                         "This resource supports: " + allowed + ".");
    response.set(boost::beast::http::field::allow, allowed);
    responder.send(std::move(response));
    return;
  }
  responder.send(problem_response(Status::not_found, "not-found", "Not Found",
                                  "No resource at " + std::string(raw_path) + "."));
}

}  // namespace coregate::http
