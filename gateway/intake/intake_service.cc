#include "gateway/intake/intake_service.h"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <ctime>

#include "gateway/auth/request_authorization.h"
#include "gateway/http/problem.h"
#include "gateway/http/time_format.h"
#include "gateway/intake/canonical_json.h"
#include "gateway/intake/idempotency_key.h"
#include "gateway/intake/outcome_id.h"
#include "gateway/intake/strict_json.h"
#include "gateway/store/sqlite_handle.h"

namespace coregate::intake {
namespace {

using http::Status;
namespace field = boost::beast::http;

bool is_json_media_type(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json";
}

std::string self_link(std::string_view id) {
  return "/v1/outcomes/" + std::string(id);
}

http::Response accepted_response(int status, std::string body, std::string_view outcome_id,
                                 bool replayed) {
  http::Response response{static_cast<Status>(status), 11};
  response.set(field::field::content_type, "application/json");
  response.set(field::field::location, self_link(outcome_id));
  if (replayed) response.set("Idempotent-Replayed", "true");
  response.body() = std::move(body);
  return response;
}

boost::json::object summary_json(const store::OutcomeRecord& record, bool with_body) {
  boost::json::object out;
  out["id"] = record.id;
  out["type"] = record.type;
  out["subject"] = record.subject;
  out["status"] = record.status;
  if (record.trigger_id) out["trigger_id"] = *record.trigger_id;
  out["accepted_by"] = record.principal;
  out["created_at"] = http::rfc3339_ms(record.created_at_ms);
  out["updated_at"] = http::rfc3339_ms(record.updated_at_ms);
  if (with_body) {
    boost::system::error_code ec;
    auto body = boost::json::parse(record.body_json, ec);
    if (!ec && body.is_object()) {
      if (const auto* data = body.get_object().if_contains("data")) out["data"] = *data;
      if (const auto* evidence = body.get_object().if_contains("evidence"))
        out["evidence"] = *evidence;
    }
  }
  out["links"] = boost::json::object{{"self", self_link(record.id)}};
  return out;
}

}  // namespace

IntakeService::IntakeService(IntakeOptions options, store::OutcomeStore& store,
                             const OutcomeValidator& validator,
                             const auth::TokenAuthenticator& authenticator)
    : options_(std::move(options)),
      store_(store),
      validator_(validator),
      authenticator_(authenticator) {}

void IntakeService::add_routes(http::Router& router) {
  router.add(http::Verb::post, "/v1/outcomes",
             [this](http::IncomingRequest&& r, http::Responder s) {
               post_outcome(std::move(r), std::move(s));
             });
  router.add(http::Verb::get, "/v1/outcomes", [this](http::IncomingRequest&& r, http::Responder s) {
    list_outcomes(std::move(r), std::move(s));
  });
  router.add(http::Verb::get, "/v1/outcomes/{id}",
             [this](http::IncomingRequest&& r, http::Responder s) {
               get_outcome(std::move(r), std::move(s));
             });
}

const auth::Principal* IntakeService::authorize(const http::Request& message, auth::Scope scope,
                                                const http::Responder& responder) const {
  return auth::authorize_request(authenticator_, message, scope, responder);
}

void IntakeService::release_key(const std::string& scoped_key) {
  std::lock_guard lock(in_flight_mutex_);
  in_flight_.erase(scoped_key);
}

size_t IntakeService::keys_in_flight() const {
  std::lock_guard lock(in_flight_mutex_);
  return in_flight_.size();
}

void IntakeService::post_outcome(http::IncomingRequest&& request, http::Responder responder) {
  const auto& message = request.message;
  const auth::Principal* principal = authorize(message, auth::Scope::kOutcomesWrite, responder);
  if (principal == nullptr) return;

  const auto content_type = message[field::field::content_type];
  if (!is_json_media_type(std::string_view(content_type.data(), content_type.size()))) {
    responder.send(http::problem_response(
        Status::unsupported_media_type, "unsupported-media-type", "Unsupported Media Type",
        content_type.empty() ? "Send the outcome with Content-Type: application/json."
                             : "Content-Type '" + std::string(content_type) +
                                   "' is not accepted; send application/json."));
    return;
  }

  const auto key_header = message.find("Idempotency-Key");
  const bool key_present = key_header != message.end();
  if (key_present && message.count("Idempotency-Key") > 1) {
    responder.send(http::problem_response(Status::bad_request, "idempotency-key-invalid",
                                          "Bad Request",
                                          "Send exactly one Idempotency-Key header."));
    return;
  }
  ParsedIdempotencyKey key = parse_idempotency_key(
      key_present ? std::string_view(key_header->value().data(), key_header->value().size())
                  : std::string_view(),
      key_present);
  if (key.defect != KeyDefect::kNone) {
    const bool missing = key.defect == KeyDefect::kMissing;
    responder.send(http::problem_response(
        Status::bad_request, missing ? "idempotency-key-missing" : "idempotency-key-invalid",
        "Bad Request", key.detail));
    return;
  }

  if (message.body().empty()) {
    responder.send(http::problem_response(Status::bad_request, "malformed-json", "Bad Request",
                                          "The body is empty; send the outcome as a JSON object."));
    return;
  }
  StrictJsonResult parsed = parse_strict_json(message.body(), StrictJsonLimits{options_.max_depth});
  if (!parsed.ok()) {
    std::string_view slug = "malformed-json";
    boost::json::object extra{{"offset", parsed.offset}};
    switch (parsed.defect) {
      case JsonDefect::kInvalidUtf8:
        slug = "invalid-utf8";
        break;
      case JsonDefect::kTruncated:
        slug = "truncated-json";
        break;
      case JsonDefect::kTooDeep:
        slug = "json-too-deep";
        break;
      case JsonDefect::kDuplicateKey:
        slug = "duplicate-json-key";
        extra = boost::json::object{
            {"errors", boost::json::array{boost::json::object{{"pointer", parsed.pointer},
                                                              {"message", "duplicate key"}}}}};
        break;
      default:
        break;
    }
    responder.send(http::problem_response(Status::bad_request, slug, "Bad Request", parsed.message,
                                          std::move(extra)));
    return;
  }

  BodyCheck check = validator_.check(parsed.value);
  if (check.verdict == BodyVerdict::kUnknownType) {
    boost::json::array known;
    for (const auto& type : validator_.known_types()) known.emplace_back(type);
    std::string list;
    for (const auto& type : validator_.known_types()) list += (list.empty() ? "" : ", ") + type;
    responder.send(http::problem_response(
        Status::bad_request, "unknown-outcome-type", "Bad Request",
        "Unknown outcome type '" + check.type + "'; known types: " + list + ".",
        boost::json::object{{"known_types", std::move(known)}}));
    return;
  }
  if (check.verdict != BodyVerdict::kValid) {
    boost::json::array errors;
    for (const auto& error : check.errors) {
      errors.push_back(boost::json::object{{"pointer", error.pointer}, {"message", error.message}});
    }
    responder.send(http::problem_response(
        Status::bad_request, "schema-violation", "Bad Request",
        "The outcome does not match " +
            (check.type.empty() ? std::string("its schema")
                                : "schemas/outcomes/" + check.type + ".json") +
            " (" + std::to_string(check.errors.size()) + " error(s)).",
        boost::json::object{{"errors", std::move(errors)}}));
    return;
  }
  if (!principal->allows_type(check.type)) {
    responder.send(http::problem_response(
        Status::forbidden, "forbidden", "Forbidden",
        "The token '" + principal->name + "' may not post outcomes of type '" + check.type + "'."));
    return;
  }
  const auto& body = parsed.value.get_object();
  const auto* subject = body.if_contains("subject");
  const auto* trigger_id = body.if_contains("trigger_id");
  if (subject == nullptr || !subject->is_string() ||
      (trigger_id != nullptr && !trigger_id->is_string())) {
    // The canonical schemas require these; a schema that does not is a deployment bug.
    responder.send(http::problem_response(
        Status::bad_request, "schema-violation", "Bad Request",
        "\"subject\" must be a string and \"trigger_id\", when present, a string.",
        boost::json::object{
            {"errors", boost::json::array{boost::json::object{{"pointer", "/subject"},
                                                              {"message", "must be a string"}}}}}));
    return;
  }

  std::vector<store::NewStep> steps;
  if (step_router_) {
    auto routed = step_router_(check.type);
    if (!routed) {
      responder.send(http::problem_response(
          Status::unprocessable_entity, "unroutable-outcome-type", "Unprocessable Content",
          "No plan routes outcomes of type '" + check.type +
              "' to an adapter; add one under \"plans\" in the gateway config."));
      return;
    }
    steps = std::move(*routed);
  }

  std::string scoped_key = principal->name + '\n' + key.value;
  {
    std::lock_guard lock(in_flight_mutex_);
    if (!in_flight_.insert(scoped_key).second) {
      responder.send(http::problem_response(Status::conflict, "idempotency-key-in-flight",
                                            "Conflict",
                                            "A request with this Idempotency-Key is still being "
                                            "processed; retry after it completes."));
      return;
    }
  }

  store::NewOutcome outcome;
  outcome.id = new_outcome_id();
  outcome.principal = principal->name;
  outcome.idempotency_key = std::move(key.value);
  outcome.fingerprint = fingerprint_of(parsed.value);
  outcome.type = check.type;
  outcome.subject = std::string(subject->get_string());
  if (trigger_id != nullptr) outcome.trigger_id = std::string(trigger_id->get_string());
  outcome.body_json = std::move(request.message.body());
  outcome.steps = std::move(steps);
  outcome.response_status = 202;
  outcome.response_body = boost::json::serialize(
      boost::json::object{{"id", outcome.id},
                          {"status", "accepted"},
                          {"links", boost::json::object{{"self", self_link(outcome.id)}}}});

  const bool queued = store_.submit(
      std::move(outcome), [this, responder, scoped_key](store::AcceptResult&& result) {
        release_key(scoped_key);
        switch (result.status) {
          case store::AcceptStatus::kAccepted:
            responder.send(accepted_response(
                result.response_status, std::move(result.response_body), result.outcome_id, false));
            return;
          case store::AcceptStatus::kReplay:
            if (on_replay_) on_replay_();
            responder.send(accepted_response(
                result.response_status, std::move(result.response_body), result.outcome_id, true));
            return;
          case store::AcceptStatus::kKeyConflict:
            responder.send(http::problem_response(
                Status::unprocessable_entity, "idempotency-key-reused", "Unprocessable Content",
                "This Idempotency-Key was already used with a different request body.",
                boost::json::object{{"outcome_id", result.outcome_id}}));
            return;
          case store::AcceptStatus::kStoreFailed: {
            auto response = http::problem_response(
                Status::service_unavailable, "store-unavailable", "Service Unavailable",
                "The outcome could not be stored; nothing was kept. Retry later.");
            response.set(field::field::retry_after, "1");
            responder.send(std::move(response));
            return;
          }
        }
      });
  if (!queued) {
    release_key(scoped_key);
    auto response =
        http::problem_response(Status::service_unavailable, "backlog-full", "Service Unavailable",
                               "The gateway has " + std::to_string(options_.backlog) +
                                   " outcomes waiting to be stored; retry later.");
    response.set(field::field::retry_after, std::to_string(options_.retry_after.count()));
    responder.send(std::move(response));
  }
}

void IntakeService::get_outcome(http::IncomingRequest&& request, http::Responder responder) {
  const auth::Principal* principal =
      authorize(request.message, auth::Scope::kOutcomesRead, responder);
  if (principal == nullptr) return;
  const std::string id(request.params.get("id"));
  std::optional<store::OutcomeRecord> record;
  try {
    record = store_.find(id);
  } catch (const store::StoreError& e) {
    responder.send(http::problem_response(Status::service_unavailable, "store-unavailable",
                                          "Service Unavailable",
                                          "The store cannot be read right now."));
    return;
  }
  if (!record || !principal->allows_type(record->type)) {
    responder.send(http::problem_response(Status::not_found, "outcome-not-found", "Not Found",
                                          "No outcome with id '" + id + "'."));
    return;
  }
  boost::json::object out = summary_json(*record, true);
  boost::json::array steps;
  for (const auto& step : record->steps) {
    boost::json::object s{{"index", step.index},
                          {"adapter", step.adapter},
                          {"status", step.status},
                          {"attempts", step.attempt_count}};
    if (step.system_reference) s["system_reference"] = *step.system_reference;
    if (step.last_error) s["last_error"] = *step.last_error;
    steps.push_back(std::move(s));
  }
  boost::json::array attempts;
  for (const auto& attempt : record->attempts) {
    boost::json::object a{{"step", attempt.step_index},
                          {"attempt", attempt.attempt_no},
                          {"started_at", http::rfc3339_ms(attempt.started_at_ms)}};
    if (attempt.finished_at_ms) a["finished_at"] = http::rfc3339_ms(*attempt.finished_at_ms);
    if (attempt.classification) a["classification"] = *attempt.classification;
    if (attempt.detail) a["detail"] = *attempt.detail;
    attempts.push_back(std::move(a));
  }
  out["steps"] = std::move(steps);
  out["attempts"] = std::move(attempts);
  responder.send(http::json_response(Status::ok, out));
}

void IntakeService::list_outcomes(http::IncomingRequest&& request, http::Responder responder) {
  const auth::Principal* principal =
      authorize(request.message, auth::Scope::kOutcomesRead, responder);
  if (principal == nullptr) return;
  auto bad = [&](std::string detail) {
    responder.send(
        http::problem_response(Status::bad_request, "bad-query", "Bad Request", std::move(detail)));
  };
  store::OutcomeFilter filter;
  filter.limit = std::min(50, options_.max_page_size);
  filter.status = http::query_param(request.query, "status");
  filter.type = http::query_param(request.query, "type");
  filter.subject = http::query_param(request.query, "subject");
  static const std::vector<std::string> kStatuses = {"accepted", "in_flight", "applied", "failed",
                                                     "discarded"};
  if (filter.status &&
      std::find(kStatuses.begin(), kStatuses.end(), *filter.status) == kStatuses.end()) {
    return bad("status must be one of accepted, in_flight, applied, failed, discarded.");
  }
  if (auto limit = http::query_param(request.query, "limit")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > options_.max_page_size) {
      return bad("limit must be a whole number from 1 to " +
                 std::to_string(options_.max_page_size) + ".");
    }
    filter.limit = value;
  }
  if (auto cursor = http::query_param(request.query, "cursor")) {
    // Opaque to clients; today "s" + the last seen commit sequence.
    int64_t after = 0;
    const char* begin = cursor->data() + 1;
    const auto [end, ec] = std::from_chars(begin, cursor->data() + cursor->size(), after);
    if (cursor->size() < 2 || (*cursor)[0] != 's' || ec != std::errc() ||
        end != cursor->data() + cursor->size() || after < 0) {
      return bad("cursor is not one this server issued.");
    }
    filter.after_seq = after;
  }
  if (filter.type && !principal->allows_type(*filter.type)) {
    return responder.send(http::json_response(
        Status::ok,
        boost::json::object{{"items", boost::json::array{}}, {"next_cursor", nullptr}}));
  }
  store::OutcomePage page;
  try {
    page = store_.list(filter);
  } catch (const store::StoreError&) {
    responder.send(http::problem_response(Status::service_unavailable, "store-unavailable",
                                          "Service Unavailable",
                                          "The store cannot be read right now."));
    return;
  }
  boost::json::array items;
  for (const auto& record : page.items) {
    if (principal->allows_type(record.type)) items.push_back(summary_json(record, false));
  }
  boost::json::object out{{"items", std::move(items)}};
  if (page.next_after_seq) {
    out["next_cursor"] = "s" + std::to_string(*page.next_after_seq);
  } else {
    out["next_cursor"] = nullptr;
  }
  responder.send(http::json_response(Status::ok, out));
}

}  // namespace coregate::intake
