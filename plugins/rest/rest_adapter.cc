#include "plugins/rest/rest_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "plugins/rest/json_pointer.h"
#include "plugins/rest/link_header.h"
#include "plugins/rest/request_signing.h"
#include "plugins/rest/request_template.h"

namespace coregate::plugins::rest {
namespace json = boost::json;
namespace {

constexpr std::string_view kReservedKeys[] = {"operation", "params", "query", "headers", "body"};

bool has_reserved_key(const json::object& record) {
  for (auto key : kReservedKeys) {
    if (record.contains(key)) return true;
  }
  return false;
}

const json::object* object_at(const json::object& record, std::string_view key) {
  auto* v = record.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

// Values for templates: the record's params, then the body's top-level fields, then the record's
// own top-level fields, then the request's identifiers.
struct Lookup {
  const json::object& record;
  std::string_view idempotency_key, outcome_id, outcome_type, subject;

  std::optional<std::string> operator()(std::string_view name) const {
    for (const json::object* scope :
         {object_at(record, "params"), object_at(record, "body"), &record}) {
      if (scope == nullptr) continue;
      if (auto* v = scope->if_contains(name)) {
        if (auto text = scalar_text(*v)) return text;
      }
    }
    if (name == "idempotency_key") return std::string(idempotency_key);
    if (name == "outcome_id") return std::string(outcome_id);
    if (name == "outcome_type") return std::string(outcome_type);
    if (name == "subject") return std::string(subject);
    return std::nullopt;
  }
};

std::string append_query(std::string target, std::string_view name, std::string_view value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += percent_encode(name) + "=" + percent_encode(value);
  return target;
}

// Renders path + query templates into a request target; error text in *error.
std::optional<std::string> render_target(const std::string& base_path, const std::string& path,
                                         const TemplatePairs& query, const TemplateLookup& lookup,
                                         std::string* error) {
  // The path template may carry its own literal query ("/x?y={z}"): render it as a query value.
  size_t q = path.find('?');
  Rendered p = render_template(path.substr(0, q), lookup, TemplateEscaping::kPathSegment);
  if (!p.ok) {
    *error = p.error;
    return std::nullopt;
  }
  // Slashes inside the path template are structure, so keep them (percent_encode only applies to
  // the placeholder values).
  std::string target = base_path + p.text;
  if (q != std::string::npos) {
    Rendered pq = render_template(path.substr(q + 1), lookup, TemplateEscaping::kNone);
    if (!pq.ok) {
      *error = pq.error;
      return std::nullopt;
    }
    // Each name=value of the literal query is re-encoded value by value.
    std::string_view rest = pq.text;
    while (!rest.empty()) {
      size_t amp = rest.find('&');
      std::string_view item = rest.substr(0, amp);
      size_t eq = item.find('=');
      target = append_query(target, item.substr(0, eq),
                            eq == std::string_view::npos ? "" : item.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  for (const auto& [name, tpl] : query) {
    Rendered v = render_template(tpl, lookup, TemplateEscaping::kNone);
    if (!v.ok) {
      *error = v.error;
      return std::nullopt;
    }
    target = append_query(target, name, v.text);
  }
  return target;
}

// Time left before the hook's deadline. A zero deadline (a host that sets none) leaves only the
// configured timeouts in force rather than failing every call as already late.
std::chrono::milliseconds remaining(sdk::Clock::time_point deadline) {
  if (deadline.time_since_epoch().count() <= 0) return std::chrono::milliseconds::max();
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sdk::Clock::now());
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 307 || status == 308;
}

}  // namespace

RestAdapter::RestAdapter(const sdk::AdapterConfig& config, sdk::Host host)
    : name_(config.instance_name()), host_(host), settings_(parse_settings(config)) {
  client_ = std::make_unique<HttpClient>(settings_.client);
  if (settings_.webhook.signature) {
    webhook_ = std::make_unique<WebhookVerifier>(*settings_.webhook.signature);
  }
}

RestAdapter::~RestAdapter() = default;

bool RestAdapter::authorize(OutgoingRequest& request, bool force_refresh,
                            std::string* error) const {
  if (settings_.auth_provider.empty()) return true;
  sdk::Fetched f = host_.credentials(settings_.auth_provider, force_refresh);
  if (!f.ok) {
    *error = "credentials from provider '" + settings_.auth_provider + "': " + f.error;
    return false;
  }
  for (auto& [name, value] : request.headers) {
    if (name == settings_.auth_header) {
      value = f.value;
      return true;
    }
  }
  request.headers.emplace_back(settings_.auth_header, f.value);
  return true;
}

void RestAdapter::sign(OutgoingRequest& request, std::string_view idempotency_key) const {
  if (!settings_.signing) return;
  int64_t now_s =
      std::chrono::duration_cast<std::chrono::seconds>(host_.now().time_since_epoch()).count();
  // Re-signing after a redirect or 401 replaces the old signature headers.
  std::erase_if(request.headers, [&](const auto& h) {
    return h.first == settings_.signing->signature_header ||
           h.first == settings_.signing->timestamp_header;
  });
  for (auto& h : sign_request(*settings_.signing, {request.method, request.target, request.body,
                                                   idempotency_key, now_s})) {
    request.headers.push_back(std::move(h));
  }
}

std::optional<std::string> RestAdapter::same_origin_target(std::string_view location,
                                                           std::string_view current) const {
  if (location.empty()) return std::nullopt;
  if (location.front() == '/') {
    if (location.size() > 1 && location[1] == '/') return std::nullopt;  // "//other.host/..."
    return std::string(location);
  }
  std::string scheme = settings_.client.https ? "https://" : "http://";
  bool default_port = settings_.client.port == (settings_.client.https ? 443 : 80);
  for (const std::string& origin :
       {scheme + settings_.client.host + ":" + std::to_string(settings_.client.port),
        default_port ? scheme + settings_.client.host : std::string()}) {
    if (origin.empty() || location.substr(0, origin.size()) != origin) continue;
    std::string_view rest = location.substr(origin.size());
    if (rest.empty()) return std::string("/");
    if (rest.front() == '/' || rest.front() == '?') return std::string(rest);
  }
  if (location.find("://") != std::string_view::npos) return std::nullopt;
  // A relative reference ("next?page=2"): resolve against the current target's directory.
  std::string_view dir = current.substr(0, current.find('?'));
  dir = dir.substr(0, dir.rfind('/') + 1);
  return std::string(dir) + std::string(location);
}

RestAdapter::Sent RestAdapter::exchange(OutgoingRequest request, sdk::Clock::time_point deadline,
                                        std::string_view idempotency_key) {
  Sent sent;
  std::string auth_error;
  if (!authorize(request, false, &auth_error)) {
    sent.exchange.outcome = Exchange::Outcome::kNotSent;
    sent.exchange.error = auth_error;
    return sent;
  }
  bool refreshed = false;
  for (int hop = 0;; ++hop) {
    auto budget = std::min(settings_.client.read_timeout, remaining(deadline));
    if (budget.count() <= 0) {
      sent.exchange = {};
      sent.exchange.outcome = Exchange::Outcome::kNotSent;
      sent.exchange.error = "the deadline passed before the request could be sent";
      return sent;
    }
    sign(request, idempotency_key);
    sent.exchange = client_->send(request, budget);
    if (sent.exchange.outcome != Exchange::Outcome::kAnswered) return sent;
    const HttpAnswer& a = sent.exchange.answer;
    if (a.status == 401 && !settings_.auth_provider.empty() && !refreshed) {
      // The cached credential was refused: refresh it once and try once more.
      refreshed = true;
      host_.count("credential_refreshes_total");
      if (!authorize(request, true, &auth_error)) {
        sent.refusal = describe_answer(a) + "; then " + auth_error;
        return sent;
      }
      --hop;
      continue;
    }
    if (!is_redirect(a.status)) return sent;
    auto location = header_value(a.headers, "location");
    if (!location) return sent;
    if (hop >= settings_.max_redirects) {
      sent.refusal = "redirect limit (" + std::to_string(settings_.max_redirects) +
                     ") exceeded; last HTTP " + std::to_string(a.status) + " to " + *location;
      return sent;
    }
    auto next = same_origin_target(*location, request.target);
    if (!next) {
      sent.refusal = "HTTP " + std::to_string(a.status) + " redirect to another origin (" +
                     *location + ") refused: credentials stay with " + client_->origin();
      return sent;
    }
    request.target = *next;
  }
}

sdk::WriteResult RestAdapter::write(const sdk::WriteRequest& r) {
  const json::object& record = r.record;
  // The operation: named by the record, or the only one configured, or named like the type.
  const Operation* op = nullptr;
  if (auto* name = record.if_contains("operation"); name != nullptr && name->is_string()) {
    auto it = settings_.operations.find(std::string_view(name->as_string()));
    if (it == settings_.operations.end()) {
      return sdk::WriteResult::rejected("the record names operation '" +
                                        std::string(name->as_string()) +
                                        "', which is not configured");
    }
    op = &it->second;
  } else if (settings_.operations.size() == 1) {
    op = &settings_.operations.begin()->second;
  } else if (auto it = settings_.operations.find(r.outcome_type);
             it != settings_.operations.end()) {
    op = &it->second;
  } else {
    return sdk::WriteResult::rejected(
        "the record names no \"operation\" and several operations are configured");
  }
  Lookup lookup{record, r.idempotency_key, r.outcome_id, r.outcome_type, r.subject};
  std::string error;
  auto target = render_target(settings_.base_path, op->path, op->query, lookup, &error);
  if (!target) return sdk::WriteResult::rejected("operation '" + op->name + "': " + error);
  if (auto* q = object_at(record, "query")) {
    for (const auto& [k, v] : *q) {
      if (auto text = scalar_text(v)) *target = append_query(*target, k, *text);
    }
  }
  OutgoingRequest request;
  request.method = op->method;
  request.target = std::move(*target);
  request.headers.emplace_back("Accept", "application/json");
  for (const TemplatePairs* pairs : {&std::as_const(settings_.default_headers), &op->headers}) {
    for (const auto& [name, tpl] : *pairs) {
      Rendered v = render_template(tpl, lookup, TemplateEscaping::kNone);
      if (!v.ok) return sdk::WriteResult::rejected("header " + name + ": " + v.error);
      request.headers.emplace_back(name, v.text);
    }
  }
  if (auto* h = object_at(record, "headers")) {
    for (const auto& [k, v] : *h) {
      if (auto text = scalar_text(v)) request.headers.emplace_back(std::string(k), *text);
    }
  }
  if (!settings_.idempotency_header.empty()) {
    request.headers.emplace_back(settings_.idempotency_header, std::string(r.idempotency_key));
  }
  if (op->send_body) {
    if (auto* body = record.if_contains("body")) {
      request.body = json::serialize(*body);
    } else if (has_reserved_key(record)) {
      json::object rest = record;
      for (auto key : kReservedKeys) rest.erase(key);
      request.body = json::serialize(rest);
    } else {
      request.body = json::serialize(record);
    }
    request.has_body = true;
    request.headers.emplace_back("Content-Type", "application/json");
  }

  Sent sent = exchange(std::move(request), r.deadline, r.idempotency_key);
  sdk::WriteResult result;
  if (!sent.refusal.empty()) {
    result = sdk::WriteResult::rejected(sent.refusal);
  } else if (sent.exchange.outcome == Exchange::Outcome::kNotSent) {
    result = classify_transport(TransportFailure::kNotSent, sent.exchange.error, op->rules);
  } else if (sent.exchange.outcome == Exchange::Outcome::kAfterSend) {
    result = classify_transport(TransportFailure::kAfterSend, sent.exchange.error, op->rules);
  } else if (sent.exchange.answer.status == 303 && op->method != "GET") {
    // "See other": the write was accepted and the result lives at Location.
    auto location = header_value(sent.exchange.answer.headers, "location");
    result = sdk::WriteResult::applied(location.value_or(std::string(r.idempotency_key)));
  } else {
    result = classify_answer(sent.exchange.answer, op->rules, r.idempotency_key, host_.now());
  }
  host_.count("writes_total", 1, {{"class", std::string(sdk::to_string(result.write_class))}});
  return result;
}

RestAdapter::Sent RestAdapter::get(const std::string& target, sdk::Clock::time_point deadline) {
  OutgoingRequest request;
  request.method = "GET";
  request.target = target;
  request.headers.emplace_back("Accept", "application/json");
  for (const auto& [name, tpl] : settings_.default_headers) {
    Rendered v = render_template(tpl, {}, TemplateEscaping::kNone);
    if (v.ok) request.headers.emplace_back(name, v.text);
  }
  return exchange(std::move(request), deadline, {});
}

sdk::ProbeResult RestAdapter::probe(const sdk::ProbeRequest& r) {
  const Operation* op = nullptr;
  if (auto* name = r.record.if_contains("operation"); name != nullptr && name->is_string()) {
    auto it = settings_.operations.find(std::string_view(name->as_string()));
    if (it != settings_.operations.end()) op = &it->second;
  } else if (settings_.operations.size() == 1) {
    op = &settings_.operations.begin()->second;
  } else if (auto it = settings_.operations.find(r.outcome_type);
             it != settings_.operations.end()) {
    op = &it->second;
  }
  if (op == nullptr || !op->probe) {
    return sdk::ProbeResult::unknown("no probe is configured for this record's operation");
  }
  Lookup lookup{r.record, r.idempotency_key, r.outcome_id, r.outcome_type, r.subject};
  std::string error;
  auto target =
      render_target(settings_.base_path, op->probe->path, op->probe->query, lookup, &error);
  if (!target) return sdk::ProbeResult::unknown("probe: " + error);
  Sent sent = get(*target, r.deadline);
  if (!sent.refusal.empty()) return sdk::ProbeResult::unknown("probe: " + sent.refusal);
  if (sent.exchange.outcome != Exchange::Outcome::kAnswered) {
    return sdk::ProbeResult::unknown("probe: " + sent.exchange.error);
  }
  const HttpAnswer& a = sent.exchange.answer;
  if (a.status == 404 || a.status == 410) return sdk::ProbeResult::not_found();
  if (a.status < 200 || a.status > 299 || a.body_over_cap) {
    return sdk::ProbeResult::unknown("probe: " + describe_answer(a));
  }
  boost::system::error_code ec;
  json::value body = json::parse(a.body, ec);
  if (ec) return sdk::ProbeResult::unknown("probe: the answer is not valid JSON");
  const json::value* found = find_at(body, op->probe->records_pointer);
  if (found == nullptr) return sdk::ProbeResult::unknown("probe: no value at records_pointer");
  const json::value* match = found;
  if (found->is_array()) {
    if (found->as_array().empty()) return sdk::ProbeResult::not_found();
    match = &found->as_array().front();
  }
  auto reference = scalar_text(*match, op->probe->reference_pointer);
  return sdk::ProbeResult::applied(reference.value_or(std::string(r.idempotency_key)));
}

sdk::HealthResult RestAdapter::health(const sdk::HealthRequest& r) {
  if (!settings_.has_health) return {sdk::HealthState::kHealthy, "no health check configured"};
  Sent sent = get(settings_.base_path + settings_.health.path, r.deadline);
  if (!sent.refusal.empty()) return {sdk::HealthState::kUnhealthy, sent.refusal};
  if (sent.exchange.outcome != Exchange::Outcome::kAnswered) {
    return {sdk::HealthState::kUnhealthy, sent.exchange.error};
  }
  int status = sent.exchange.answer.status;
  bool healthy = settings_.health.healthy_statuses.empty()
                     ? status >= 200 && status <= 299
                     : settings_.health.healthy_statuses.count(status) != 0;
  if (healthy) return {sdk::HealthState::kHealthy, "HTTP " + std::to_string(status)};
  if (status == 429 || status == 503) {
    return {sdk::HealthState::kDegraded, describe_answer(sent.exchange.answer)};
  }
  return {sdk::HealthState::kUnhealthy, describe_answer(sent.exchange.answer)};
}

sdk::PollResult RestAdapter::poll(const sdk::PollRequest& r) {
  auto it = settings_.poll_sources.find(r.source);
  if (it == settings_.poll_sources.end()) {
    throw std::invalid_argument("no poll source named '" + std::string(r.source) + "'");
  }
  const PollSource& src = it->second;
  // The cursor is this adapter's own JSON: {"cursor": value to send, "next": page target to
  // resume from}. Empty on the first poll.
  std::string cursor = src.initial_cursor, next;
  if (!r.cursor.empty()) {
    boost::system::error_code ec;
    json::value state = json::parse(r.cursor, ec);
    if (ec || !state.is_object()) throw std::invalid_argument("unreadable poll cursor");
    cursor = scalar_text(state, "/cursor").value_or("");
    next = scalar_text(state, "/next").value_or("");
  }
  auto first_page = [&](const std::string& value) {
    std::string error;
    auto target = render_target(
        settings_.base_path, src.path, src.query,
        [&](std::string_view name) -> std::optional<std::string> {
          if (name == "cursor") return value;
          return std::nullopt;
        },
        &error);
    if (!target) throw std::invalid_argument("poll source '" + src.name + "': " + error);
    if (!src.cursor_param.empty() && !value.empty()) {
      *target = append_query(*target, src.cursor_param, value);
    }
    if (!src.limit_param.empty() && r.max_records > 0) {
      *target = append_query(*target, src.limit_param, std::to_string(r.max_records));
    }
    return *target;
  };
  sdk::PollResult result;
  std::string target = next.empty() ? first_page(cursor) : next;
  next.clear();
  const size_t max = r.max_records == 0 ? SIZE_MAX : r.max_records;
  for (int page = 1;; ++page) {
    Sent sent = get(target, r.deadline);
    if (!sent.refusal.empty()) throw std::runtime_error(sent.refusal);
    if (sent.exchange.outcome != Exchange::Outcome::kAnswered) {
      throw std::runtime_error(sent.exchange.error);
    }
    const HttpAnswer& a = sent.exchange.answer;
    if (a.status < 200 || a.status > 299) throw std::runtime_error(describe_answer(a));
    if (a.body_over_cap) {
      throw std::runtime_error("page exceeds the " + std::to_string(a.cap) + "-byte cap");
    }
    boost::system::error_code ec;
    json::value body = json::parse(a.body, ec);
    if (ec) throw std::runtime_error("page is not valid JSON: " + ec.message());
    const json::value* items = find_at(body, src.records_pointer);
    if (items == nullptr || !items->is_array()) {
      throw std::runtime_error("page has no array at '" + src.records_pointer + "'");
    }
    bool cut = false;
    for (const auto& item : items->as_array()) {
      if (!item.is_object()) continue;
      result.records.push_back(item);
      if (!src.record_cursor_pointer.empty()) {
        if (auto c = scalar_text(item, src.record_cursor_pointer)) cursor = *c;
        // A per-record cursor lets a poll stop mid-page and resume exactly there.
        if (result.records.size() >= max) {
          cut = true;
          break;
        }
      }
    }
    if (cut) break;
    std::optional<std::string> following;
    if (!src.next_cursor_pointer.empty()) {
      auto c = scalar_text(body, src.next_cursor_pointer);
      if (c && !c->empty()) {
        cursor = *c;
        if (!items->as_array().empty()) following = first_page(cursor);
      }
    } else if (src.follow_link_header) {
      if (auto link = header_value(a.headers, "link")) {
        if (auto n = link_with_rel(*link, "next")) {
          following = same_origin_target(*n, target);
          if (!following)
            throw std::runtime_error("Link rel=next to another origin refused: " + *n);
        }
      }
    }
    if (!following) break;
    if (result.records.size() >= max || page >= src.max_pages) {
      // More pages wait. A Link page is resumed from its URL; a cursor page from the cursor.
      if (src.next_cursor_pointer.empty() && src.record_cursor_pointer.empty()) next = *following;
      break;
    }
    target = *following;
  }
  json::object state{{"cursor", cursor}};
  if (!next.empty()) state["next"] = next;
  result.next_cursor = json::serialize(state);
  host_.count("poll_records_total", static_cast<double>(result.records.size()));
  return result;
}

sdk::InboundReply RestAdapter::inbound(const sdk::InboundRequest& r) {
  auto reply = [](int status, std::string_view message) {
    sdk::InboundReply out;
    out.status = status;
    out.headers["content-type"] = "application/json";
    out.body = json::serialize(json::object{{"error", message}});
    return out;
  };
  if (r.method != "POST") return reply(405, "webhooks are POSTed");
  if (webhook_) {
    Verification v = webhook_->verify(r.method, r.target, r.headers, r.body, host_.now());
    if (!v.ok) {
      host_.count("webhooks_refused_total");
      host_.warn("webhook refused: " + v.reason);
      return reply(401, v.reason);
    }
  }
  boost::system::error_code ec;
  json::value body = json::parse(r.body, ec);
  if (ec) return reply(400, "the body is not valid JSON: " + ec.message());
  const json::value* items = find_at(body, settings_.webhook.records_pointer);
  if (items == nullptr) return reply(400, "the body has no value at records_pointer");
  sdk::InboundReply out;
  if (items->is_array()) {
    for (const auto& item : items->as_array()) {
      if (item.is_object()) out.records.push_back(item);
    }
  } else if (items->is_object()) {
    out.records.push_back(*items);
  } else {
    return reply(400, "the webhook carries no JSON object or array of objects");
  }
  out.status = 200;
  out.headers["content-type"] = "application/json";
  out.body = json::serialize(json::object{{"accepted", out.records.size()}});
  return out;
}

}  // namespace coregate::plugins::rest
