#include "gateway/credentials/token_endpoint.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <openssl/ssl.h>

#include <boost/json/parse.hpp>
#include <memory>
#include <sstream>

#include "gateway/credentials/static_credentials.h"

namespace coregate::credentials {
namespace {

constexpr size_t kMaxTokenResponse = 256 * 1024;

std::string form_encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]", out);
  return out;
}

std::string excerpt(const std::string& body) {
  return body.size() > 300 ? body.substr(0, 300) + "..." : body;
}

}  // namespace

TokenEndpoint::TokenEndpoint(TokenEndpointOptions options) : options_(std::move(options)) {}

IssuedToken parse_token_response(int status, const std::string& body) {
  IssuedToken t;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  if (status < 200 || status > 299) {
    t.error = "token endpoint answered " + std::to_string(status);
    if (!ec && v.is_object() && v.as_object().contains("error") &&
        v.as_object().at("error").is_string()) {
      t.error += ": " + std::string(v.as_object().at("error").as_string());
      auto* d = v.as_object().if_contains("error_description");
      if (d != nullptr && d->is_string()) t.error += " (" + std::string(d->as_string()) + ")";
    }
    return t;
  }
  if (ec || !v.is_object()) {
    t.error = "token endpoint answered " + std::to_string(status) + " with a body that is not a " +
              "JSON object: " + excerpt(body);
    return t;
  }
  const auto& o = v.as_object();
  auto* token = o.if_contains("access_token");
  if (token == nullptr || !token->is_string() || token->as_string().empty()) {
    t.error = "token endpoint answer has no access_token";
    return t;
  }
  t.access_token = std::string(token->as_string());
  auto* type = o.if_contains("token_type");
  t.token_type = type != nullptr && type->is_string() ? std::string(type->as_string()) : "Bearer";
  if (auto* e = o.if_contains("expires_in"); e != nullptr) {
    // Some servers send the number as a string.
    if (e->is_int64() && e->as_int64() >= 0) {
      t.expires_in = std::chrono::seconds(e->as_int64());
    } else if (e->is_uint64()) {
      t.expires_in = std::chrono::seconds(static_cast<int64_t>(e->as_uint64()));
    } else if (e->is_double() && e->as_double() >= 0 && e->as_double() < 1e12) {
      t.expires_in = std::chrono::seconds(static_cast<int64_t>(e->as_double()));
    } else if (e->is_string()) {
      try {
        t.expires_in = std::chrono::seconds(std::stoll(std::string(e->as_string())));
      } catch (...) {
      }
    }
  }
  t.ok = true;
  return t;
}

IssuedToken TokenEndpoint::request() const {
  IssuedToken failed;
  try {
    Poco::URI uri(options_.token_url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      Poco::Net::Context::Params params;
      params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
      params.loadDefaultCAs = options_.ca_file.empty();
      params.caLocation = options_.ca_file;
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
      SSL_CTX_set_min_proto_version(context->sslContext(), TLS1_2_VERSION);
      session =
          std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    Poco::Timespan timeout(
        std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count());
    session->setTimeout(timeout, timeout, timeout);

    std::string body = "grant_type=client_credentials";
    std::string scope;
    for (const auto& s : options_.scopes) scope += (scope.empty() ? "" : " ") + s;
    if (!scope.empty()) body += "&scope=" + form_encode(scope);
    if (!options_.audience.empty()) body += "&audience=" + form_encode(options_.audience);
    if (!options_.resource.empty()) body += "&resource=" + form_encode(options_.resource);
    for (const auto& [k, v] : options_.extra_params)
      body += "&" + form_encode(k) + "=" + form_encode(v);

    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/x-www-form-urlencoded");
    request.set("Accept", "application/json");
    if (options_.secret_in_body) {
      body += "&client_id=" + form_encode(options_.client_id) +
              "&client_secret=" + form_encode(options_.client_secret);
    } else {
      // RFC 6749 §2.3.1: both parts form-encoded before Basic.
      request.set("Authorization", basic_authorization(form_encode(options_.client_id),
                                                       form_encode(options_.client_secret)));
    }
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    std::string answer;
    char chunk[8192];
    while (in && answer.size() <= kMaxTokenResponse) {
      in.read(chunk, sizeof chunk);
      answer.append(chunk, static_cast<size_t>(in.gcount()));
    }
    if (answer.size() > kMaxTokenResponse) {
      failed.error = "token endpoint answer exceeds 256 KiB";
      return failed;
    }
    return parse_token_response(static_cast<int>(response.getStatus()), answer);
  } catch (const Poco::Exception& e) {
    failed.error = "token endpoint " + options_.token_url + ": " + e.displayText();
  } catch (const std::exception& e) {
    failed.error = "token endpoint " + options_.token_url + ": " + e.what();
  }
  return failed;
}

}  // namespace coregate::credentials
