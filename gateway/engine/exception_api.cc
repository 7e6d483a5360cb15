#include "gateway/engine/exception_api.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "gateway/auth/request_authorization.h"
#include "gateway/http/problem.h"
#include "gateway/http/time_format.h"
#include "gateway/intake/strict_json.h"

namespace coregate::engine {
namespace {

using http::Status;
namespace json = boost::json;

json::value parse_or_text(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return json::value(text);
  return v;
}

json::object summary_json(const store::ExceptionRecord& e) {
  json::object out{{"id", e.id},
                   {"outcome_id", e.outcome_id},
                   {"step_index", e.step_index},
                   {"adapter", e.adapter},
                   {"cause", e.cause},
                   {"type", e.type},
                   {"subject", e.subject},
                   {"status", e.status},
                   {"created_at", http::rfc3339_ms(e.created_at_ms)},
                   {"updated_at", http::rfc3339_ms(e.updated_at_ms)},
                   {"attempts", e.attempt_count},
                   {"last_error", e.last_error}};
  return out;
}

json::object detail_json(const store::ExceptionRecord& e) {
  json::object out = summary_json(e);
  out["outcome"] = parse_or_text(e.outcome_body);
  out["mapped_request"] =
      e.mapped_request ? parse_or_text(*e.mapped_request) : json::value(nullptr);
  json::array attempts;
  for (const auto& a : e.attempts) {
    json::object item{{"attempt_no", a.attempt_no},
                      {"started_at", http::rfc3339_ms(a.started_at_ms)}};
    item["finished_at"] =
        a.finished_at_ms ? json::value(http::rfc3339_ms(*a.finished_at_ms)) : json::value(nullptr);
    item["classification"] =
        a.classification ? json::value(*a.classification) : json::value(nullptr);
    item["detail"] = a.detail ? json::value(*a.detail) : json::value(nullptr);
    attempts.push_back(std::move(item));
  }
  out["attempts"] = std::move(attempts);
  out["attempt_count"] = e.attempt_count;
  if (e.resolution_action) {
    json::object resolution{{"action", *e.resolution_action},
                            {"principal", e.resolution_principal.value_or("")},
                            {"reason", e.resolution_reason.value_or("")}};
    if (e.resolved_at_ms) resolution["at"] = http::rfc3339_ms(*e.resolved_at_ms);
    out["resolution"] = std::move(resolution);
  }
  out["links"] =
      json::object{{"self", "/v1/exceptions/" + e.id}, {"outcome", "/v1/outcomes/" + e.outcome_id}};
  return out;
}

http::Response store_unavailable() {
  return http::problem_response(Status::service_unavailable, "store-unavailable",
                                "Service Unavailable", "The store cannot be read right now.");
}

http::Response not_found(std::string_view id) {
  return http::problem_response(Status::not_found, "exception-not-found", "Not Found",
                                "No exception with id '" + std::string(id) + "'.");
}

// The body of a replay/discard: empty or a JSON object. Answers 400 itself and returns nullopt.
std::optional<json::object> object_body(const http::Request& message,
                                        const http::Responder& responder) {
  if (message.body().empty()) return json::object{};
  intake::StrictJsonResult parsed = intake::parse_strict_json(message.body(), {32});
  if (!parsed.ok() || !parsed.value.is_object()) {
    responder.send(
        http::problem_response(Status::bad_request, "malformed-json", "Bad Request",
                               parsed.ok() ? "The body must be a JSON object." : parsed.message));
    return std::nullopt;
  }
  return parsed.value.get_object();
}

}  // namespace

ExceptionApi::ExceptionApi(store::OutcomeStore& store, WritebackEngine& engine,
                           const intake::OutcomeValidator& validator,
                           const auth::TokenAuthenticator& authenticator, int max_page_size)
    : store_(store),
      engine_(engine),
      validator_(validator),
      authenticator_(authenticator),
      max_page_size_(max_page_size) {}

void ExceptionApi::add_routes(http::Router& router) {
  router.add(http::Verb::get, "/v1/exceptions",
             [this](http::IncomingRequest&& r, http::Responder a) { list(std::move(r), a); });
  router.add(http::Verb::get, "/v1/exceptions/{id}",
             [this](http::IncomingRequest&& r, http::Responder a) { show(std::move(r), a); });
  router.add(http::Verb::post, "/v1/exceptions/{id}/replay",
             [this](http::IncomingRequest&& r, http::Responder a) { replay(std::move(r), a); });
  router.add(http::Verb::post, "/v1/exceptions/{id}/discard",
             [this](http::IncomingRequest&& r, http::Responder a) { discard(std::move(r), a); });
}

void ExceptionApi::list(http::IncomingRequest&& request, http::Responder responder) {
  if (!auth::authorize_request(authenticator_, request.message, auth::Scope::kExceptionsManage,
                               responder))
    return;
  auto bad = [&](std::string detail) {
    responder.send(
        http::problem_response(Status::bad_request, "bad-query", "Bad Request", std::move(detail)));
  };
  store::ExceptionFilter filter;
  filter.limit = std::min(50, max_page_size_);
  filter.adapter = http::query_param(request.query, "adapter");
  filter.cause = http::query_param(request.query, "cause");
  filter.type = http::query_param(request.query, "type");
  filter.status = http::query_param(request.query, "status");
  if (filter.status && *filter.status != "open" && *filter.status != "replayed" &&
      *filter.status != "discarded") {
    return bad("status must be one of open, replayed, discarded.");
  }
  if (filter.cause && !store::parse_exception_cause(*filter.cause)) {
    return bad(
        "cause must be one of rejected, retries_exhausted, max_age_exceeded, "
        "ambiguous_unresolved, mapping_failed.");
  }
  if (auto limit = http::query_param(request.query, "limit")) {
    int value = 0;
    const auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > max_page_size_) {
      return bad("limit must be a whole number from 1 to " + std::to_string(max_page_size_) + ".");
    }
    filter.limit = value;
  }
  if (auto cursor = http::query_param(request.query, "cursor")) {
    int64_t after = 0;
    const auto [end, ec] = std::from_chars(cursor->data() + std::min<size_t>(1, cursor->size()),
                                           cursor->data() + cursor->size(), after);
    if (cursor->size() < 2 || (*cursor)[0] != 'e' || ec != std::errc() ||
        end != cursor->data() + cursor->size() || after < 0) {
      return bad("cursor is not one this server issued.");
    }
    filter.after_seq = after;
  }
  store::ExceptionPage page;
  try {
    page = store_.list_exceptions(filter);
  } catch (const std::exception&) {
    responder.send(store_unavailable());
    return;
  }
  json::array items;
  for (const auto& e : page.items) items.push_back(summary_json(e));
  json::object out{{"items", std::move(items)}};
  if (page.next_after_seq) out["next_cursor"] = "e" + std::to_string(*page.next_after_seq);
  responder.send(http::json_response(Status::ok, out));
}

std::optional<store::ExceptionRecord> ExceptionApi::find_or_answer(
    const std::string& id, const http::Responder& responder) {
  try {
    if (auto record = store_.find_exception(id)) return record;
    responder.send(not_found(id));
  } catch (const std::exception&) {
    responder.send(store_unavailable());
  }
  return std::nullopt;
}

void ExceptionApi::show(http::IncomingRequest&& request, http::Responder responder) {
  if (!auth::authorize_request(authenticator_, request.message, auth::Scope::kExceptionsManage,
                               responder))
    return;
  const std::string id(request.params.get("id"));
  if (auto record = find_or_answer(id, responder)) {
    responder.send(http::json_response(Status::ok, detail_json(*record)));
  }
}

void ExceptionApi::replay(http::IncomingRequest&& request, http::Responder responder) {
  const auth::Principal* principal = auth::authorize_request(
      authenticator_, request.message, auth::Scope::kExceptionsManage, responder);
  if (principal == nullptr) return;
  auto body = object_body(request.message, responder);
  if (!body) return;
  const std::string id(request.params.get("id"));
  store::ResolveException resolve;
  resolve.exception_id = id;
  resolve.action = "replay";
  resolve.principal = principal->name;
  if (const auto* reason = body->if_contains("reason"); reason && reason->is_string())
    resolve.reason = std::string(reason->get_string());
  if (const auto* data = body->if_contains("data")) {
    if (!data->is_object()) {
      responder.send(http::problem_response(
          Status::bad_request, "schema-violation", "Bad Request", "\"data\" must be an object.",
          json::object{{"errors", json::array{json::object{{"pointer", "/data"},
                                                           {"message", "must be an object"}}}}}));
      return;
    }
    const auto record = find_or_answer(id, responder);
    if (!record) return;
    // The corrected outcome is the original with its data replaced, checked like a new POST.
    json::value corrected = parse_or_text(record->outcome_body);
    if (!corrected.is_object()) {
      responder.send(http::problem_response(Status::conflict, "outcome-unreadable", "Conflict",
                                            "The stored outcome body is not a JSON object."));
      return;
    }
    corrected.get_object()["data"] = *data;
    const intake::BodyCheck check = validator_.check(corrected);
    if (check.verdict != intake::BodyVerdict::kValid) {
      json::array errors;
      for (const auto& error : check.errors) {
        errors.push_back(json::object{{"pointer", error.pointer}, {"message", error.message}});
      }
      responder.send(http::problem_response(
          Status::bad_request, "schema-violation", "Bad Request",
          "The corrected outcome does not match schemas/outcomes/" + record->type + ".json (" +
              std::to_string(check.errors.size()) + " error(s)).",
          json::object{{"errors", std::move(errors)}}));
      return;
    }
    resolve.corrected_body = json::serialize(corrected);
    resolve.new_key = true;  // different content deserves a different idempotency key
  }
  commit_resolution(std::move(resolve), responder);
}

void ExceptionApi::discard(http::IncomingRequest&& request, http::Responder responder) {
  const auth::Principal* principal = auth::authorize_request(
      authenticator_, request.message, auth::Scope::kExceptionsManage, responder);
  if (principal == nullptr) return;
  auto body = object_body(request.message, responder);
  if (!body) return;
  const auto* reason = body->if_contains("reason");
  if (reason == nullptr || !reason->is_string() || reason->get_string().empty()) {
    responder.send(http::problem_response(
        Status::bad_request, "reason-required", "Bad Request",
        "Discarding needs a reason: send {\"reason\": \"...\"}.",
        json::object{
            {"errors", json::array{json::object{{"pointer", "/reason"},
                                                {"message", "a non-empty string is required"}}}}}));
    return;
  }
  store::ResolveException resolve;
  resolve.exception_id = std::string(request.params.get("id"));
  resolve.action = "discard";
  resolve.principal = principal->name;
  resolve.reason = std::string(reason->get_string());
  commit_resolution(std::move(resolve), responder);
}

void ExceptionApi::commit_resolution(store::ResolveException resolve, http::Responder responder) {
  resolve.at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  const std::string id = resolve.exception_id;
  const bool replay = resolve.action == "replay";
  const bool queued = store_.record(
      std::move(resolve), [this, responder, id, replay](store::EngineWriteResult&& result) {
        if (!result.ok) {
          if (result.error == "not-found") {
            responder.send(not_found(id));
          } else if (result.error.starts_with("not-open:")) {
            const std::string status = result.error.substr(9);
            responder.send(http::problem_response(
                Status::conflict, "exception-not-open", "Conflict",
                "Exception '" + id + "' is already " + status + "; only an open one can be " +
                    (replay ? "replayed." : "discarded."),
                json::object{{"status", status}}));
          } else {
            responder.send(http::problem_response(Status::service_unavailable, "store-unavailable",
                                                  "Service Unavailable",
                                                  "The decision could not be stored; retry."));
          }
          return;
        }
        if (replay) {
          // The replay is committed: the outcome's steps are pending again (read back through a
          // reader connection, which sees the commit that just happened).
          engine_.requeue(result.outcome_seq);
          responder.send(http::json_response(
              Status::accepted,
              json::object{{"id", id},
                           {"status", "replayed"},
                           {"outcome_id", result.payload ? result.payload->id : ""},
                           {"links", json::object{{"self", "/v1/exceptions/" + id}}}}));
        } else {
          responder.send(
              http::json_response(Status::ok, json::object{{"id", id}, {"status", "discarded"}}));
        }
      });
  if (!queued) {
    responder.send(http::problem_response(Status::service_unavailable, "stopping",
                                          "Service Unavailable", "The gateway is stopping."));
  }
}

namespace {

json::object adapter_json(const AdapterStatus& s) {
  json::array reasons;
  for (const auto& r : s.reasons) reasons.emplace_back(r);
  json::object out{{"name", s.name},
                   {"plugin", s.plugin},
                   {"state", s.state},
                   {"reasons", std::move(reasons)},
                   {"queue_depth", s.queue_depth},
                   {"in_flight", s.in_flight},
                   {"oldest_pending_age_seconds", s.oldest_pending_age_seconds}};
  json::object health{{"state", s.health_state}, {"detail", s.health_detail}};
  health["checked_at"] = s.health_checked_at_ms
                             ? json::value(http::rfc3339_ms(s.health_checked_at_ms))
                             : json::value(nullptr);
  out["health"] = std::move(health);
  json::object breaker{{"state", s.breaker_state}};
  if (s.breaker_reopens_at_ms) breaker["reopens_at"] = http::rfc3339_ms(s.breaker_reopens_at_ms);
  out["breaker"] = std::move(breaker);
  out["success_ratio"] = s.success_ratio ? json::value(*s.success_ratio) : json::value(nullptr);
  if (!s.last_error.empty()) {
    out["last_error"] =
        json::object{{"message", s.last_error}, {"at", http::rfc3339_ms(s.last_error_at_ms)}};
  } else {
    out["last_error"] = nullptr;
  }
  out["counts"] = json::object{{"applied", s.applied},
                               {"failed", s.failed},
                               {"retries", s.retries},
                               {"duplicates", s.duplicates}};
  return out;
}

}  // namespace

void add_adapter_routes(http::Router& router, const WritebackEngine& engine,
                        const auth::TokenAuthenticator& authenticator) {
  router.add(
      http::Verb::get, "/v1/adapters",
      [&engine, &authenticator](http::IncomingRequest&& request, http::Responder responder) {
        if (!auth::authorize_request(authenticator, request.message, auth::Scope::kOutcomesRead,
                                     responder))
          return;
        json::array items;
        for (const auto& s : engine.adapter_statuses()) items.push_back(adapter_json(s));
        responder.send(http::json_response(Status::ok, json::object{{"items", std::move(items)}}));
      });
  router.add(
      http::Verb::get, "/v1/adapters/{name}",
      [&engine, &authenticator](http::IncomingRequest&& request, http::Responder responder) {
        if (!auth::authorize_request(authenticator, request.message, auth::Scope::kOutcomesRead,
                                     responder))
          return;
        const std::string name(request.params.get("name"));
        auto status = engine.adapter_status(name);
        if (!status) {
          responder.send(http::problem_response(Status::not_found, "adapter-not-found", "Not Found",
                                                "No adapter named '" + name + "'."));
          return;
        }
        responder.send(http::json_response(Status::ok, adapter_json(*status)));
      });
}

}  // namespace coregate::engine
