#include "gateway/triggers/trigger_service.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <map>

#include "coregate/plugin_abi.h"
#include "gateway/auth/request_authorization.h"
#include "gateway/http/problem.h"
#include "gateway/http/sse_stream.h"
#include "gateway/logging/logging.h"
#include "gateway/schema/schema_registry.h"
#include "gateway/store/sqlite_handle.h"
#include "gateway/triggers/cloud_event.h"
#include "gateway/triggers/consumer_groups.h"
#include "gateway/triggers/delivery_requests.h"
#include "gateway/triggers/outcome_results.h"
#include "gateway/triggers/poller.h"
#include "gateway/triggers/record_pipeline.h"
#include "gateway/triggers/source_rules.h"
#include "gateway/triggers/sse_hub.h"
#include "gateway/triggers/trigger_store.h"
#include "gateway/triggers/webhook_client.h"
#include "gateway/triggers/webhook_dispatcher.h"

namespace coregate::triggers {
namespace {

using http::Status;
namespace field = boost::beast::http;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::string> header(const http::Request& message, std::string_view name) {
  const auto it = message.find(name);
  if (it == message.end()) return std::nullopt;
  return std::string(it->value());
}

std::optional<int64_t> parse_id(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

http::Response store_unavailable(const std::exception& e) {
  logging::logger()->warn("trigger store: {}", e.what());
  return http::problem_response(Status::service_unavailable, "store-unavailable",
                                "Service Unavailable",
                                "The trigger store cannot answer right now; try again.");
}

http::Response bad_request(std::string_view slug, std::string detail) {
  return http::problem_response(Status::bad_request, slug, "Bad Request", detail);
}

}  // namespace

struct TriggerService::Impl {
  TriggersConfig config;
  const plugin_host::AdapterSet& adapters;
  const auth::TokenAuthenticator& authenticator;
  schema::SchemaRegistry schemas;
  std::unique_ptr<TriggerStore> store;
  LogSignal signal;
  std::map<std::string, CompiledRules, std::less<>> inbound_rules;  // by adapter
  std::vector<std::unique_ptr<Poller>> pollers;
  std::unique_ptr<ConsumerGroups> groups;
  std::unique_ptr<SseHub> hub;
  std::map<std::string, std::unique_ptr<WebhookDispatcher>, std::less<>> dispatchers;
  std::unique_ptr<OutcomeResultPublisher> publisher;
  bool started = false;
  bool stopped = false;
  // Last: the handlers it runs use everything above.
  boost::asio::thread_pool pool{2};

  Impl(const TriggerServiceContext& context)
      : config(triggers_config_from(context.root, context.outcome_store_path)),
        adapters(context.adapters),
        authenticator(context.authenticator) {}

  CompiledRules compile(const RecordRules& rules, const config::ConfigNode& block,
                        const mapping::MappingRegistry& mappings) {
    return compile_rules(rules, block, adapters.find(rules.adapter) != nullptr, mappings, schemas);
  }

  // --- auth ---
  const auth::Principal* authorize_inbound(const http::Request& message, std::string_view adapter,
                                           const http::Responder& responder) const {
    const auto value = message[field::field::authorization];
    const auto result = authenticator.authenticate(std::string_view(value.data(), value.size()));
    if (result.principal == nullptr) {
      return auth::authorize_request(authenticator, message, auth::Scope::kAdmin, responder);
    }
    const auth::Principal& principal = *result.principal;
    if (principal.has(auth::Scope::kAdmin) ||
        (!principal.adapters.empty() && principal.allows_adapter(adapter))) {
      return &principal;
    }
    responder.send(http::problem_response(
        Status::forbidden, "forbidden", "Forbidden",
        "The token '" + principal.name + "' may not push to adapter '" + std::string(adapter) +
            "': it needs the admin scope or to be narrowed to that adapter.",
        boost::json::object{{"required_scope", "admin"}}));
    return nullptr;
  }

  // --- inbound ---
  void inbound(http::IncomingRequest& request, const http::Responder& responder) {
    const std::string adapter_name(request.params.get("adapter"));
    const auto* adapter = adapters.find(adapter_name);
    if (adapter == nullptr) {
      responder.send(http::problem_response(Status::not_found, "adapter-not-found", "Not Found",
                                            "No adapter named '" + adapter_name + "'."));
      return;
    }
    if (authorize_inbound(request.message, adapter_name, responder) == nullptr) return;
    const auto& message = request.message;
    const auto content_type = header(message, "Content-Type").value_or("");
    bool has_ce_header = false;
    for (const auto& f : message) {
      const auto name = f.name_string();
      has_ce_header = has_ce_header || (name.size() > 3 && (name[0] == 'c' || name[0] == 'C') &&
                                        (name[1] == 'e' || name[1] == 'E') && name[2] == '-');
    }
    const auto mode = detect_cloudevent_mode(content_type, has_ce_header);
    if (mode != CloudEventMode::kNone)
      return inbound_cloudevent(request, adapter_name, mode, responder);

    std::vector<std::pair<std::string, std::string>> pairs;
    boost::json::object headers;
    for (const auto& f : message) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "authorization") continue;  // the adapter never sees our credentials
      headers[name] = std::string(f.value());
    }
    const std::string headers_json = boost::json::serialize(headers);
    const std::string target =
        request.path.substr(std::string("/v1/inbound/").size() + adapter_name.size()) +
        (request.query.empty() ? "" : "?" + request.query);
    auto outcome = adapter->inbound(plugin_host::InboundCall{std::string(message.method_string()),
                                                             target, headers_json, message.body()});
    if (!outcome.ok) {
      const bool unsupported = !adapter->can(CG_CAP_INBOUND);
      responder.send(http::problem_response(
          unsupported ? Status::not_found : Status::bad_gateway,
          unsupported ? "inbound-unsupported" : "adapter-inbound-failed",
          unsupported ? "Not Found" : "Bad Gateway",
          unsupported
              ? "Adapter '" + adapter_name +
                    "' takes no inbound requests; send a CloudEvent (binary or structured "
                    "mode) to an adapter with an inbound source."
              : "Adapter '" + adapter_name + "' failed the inbound request: " + outcome.error));
      return;
    }
    boost::system::error_code ec;
    auto records = boost::json::parse(outcome.records_json, ec);
    if (!ec && records.is_array() && !records.as_array().empty()) {
      try {
        ingest_records(adapter_name, records.as_array());
      } catch (const store::StoreError& e) {
        responder.send(store_unavailable(e));
        return;
      }
    }
    http::Response response{static_cast<Status>(outcome.status == 0 ? 200 : outcome.status), 11};
    auto reply_headers = boost::json::parse(
        outcome.reply_headers_json.empty() ? "{}" : outcome.reply_headers_json, ec);
    if (!ec && reply_headers.is_object()) {
      for (const auto& member : reply_headers.as_object()) {
        if (member.value().is_string()) response.set(member.key(), member.value().as_string());
      }
    }
    response.body() = std::move(outcome.reply_body);
    responder.send(std::move(response));
  }

  // Records an adapter's inbound hook produced: triggers of its inbound source, or exceptions.
  void ingest_records(const std::string& adapter_name, const boost::json::array& records) {
    std::vector<NewTrigger> triggers;
    std::vector<TriggerExceptionRecord> exceptions;
    const auto rules = inbound_rules.find(adapter_name);
    const std::string source =
        rules == inbound_rules.end() ? "inbound:" + adapter_name : rules->second.rules.source;
    RecordContext context;
    context.now_ms = now_ms();
    for (const auto& raw : records) {
      if (rules == inbound_rules.end()) {
        exceptions.push_back({source,
                              "no inbound source is configured for adapter '" + adapter_name + "'",
                              boost::json::serialize(raw), ""});
        continue;
      }
      auto verdict = make_trigger(rules->second, raw, context);
      if (verdict.ok) {
        triggers.push_back(std::move(verdict.trigger));
      } else {
        exceptions.push_back({source, std::move(verdict.reason), boost::json::serialize(raw),
                              std::move(verdict.key)});
      }
    }
    const auto committed = store->commit_batch(source, std::nullopt, triggers, exceptions);
    if (committed.inserted > 0) signal.advanced(committed.last_seq);
  }

  void inbound_cloudevent(http::IncomingRequest& request, const std::string& adapter_name,
                          CloudEventMode mode, const http::Responder& responder) {
    CloudEventParse parsed;
    if (mode == CloudEventMode::kStructured) {
      parsed = parse_structured_cloudevent(request.message.body());
    } else {
      std::vector<std::pair<std::string, std::string>> headers;
      for (const auto& f : request.message) {
        headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
      }
      parsed = parse_binary_cloudevent(headers, request.message.body());
    }
    if (!parsed.ok) {
      responder.send(bad_request(
          "invalid-cloudevent",
          "Not a valid CloudEvent (" +
              std::string(mode == CloudEventMode::kStructured ? "structured" : "binary") +
              " mode): " + parsed.error + "."));
      return;
    }
    const auto rules = inbound_rules.find(adapter_name);
    if (rules == inbound_rules.end()) {
      responder.send(http::problem_response(Status::not_found, "no-inbound-source", "Not Found",
                                            "No inbound source takes CloudEvents for adapter '" +
                                                adapter_name +
                                                "'; add one under triggers.sources.inbound."));
      return;
    }
    const CloudEvent& event = parsed.event;
    if (!event.data || !event.data->is_object()) {
      responder.send(http::problem_response(
          Status::unsupported_media_type, "unsupported-event-data", "Unsupported Media Type",
          "The event's data must be a JSON object (the raw record of source '" +
              rules->second.rules.source + "')."));
      return;
    }
    RecordContext context;
    context.now_ms = now_ms();
    context.fallback_key = {event.source, event.id};
    context.subject = event.subject;
    auto verdict = make_trigger(rules->second, *event.data, context);
    try {
      if (!verdict.ok) {
        const auto committed =
            store->commit_batch(rules->second.rules.source, std::nullopt, {},
                                {{rules->second.rules.source, verdict.reason,
                                  boost::json::serialize(*event.data), verdict.key}});
        responder.send(http::problem_response(
            Status::unprocessable_entity, "trigger-rejected", "Unprocessable Content",
            "The event is not a valid " + rules->second.rules.type + " trigger: " + verdict.reason,
            boost::json::object{{"exception_id", committed.exception_ids.empty()
                                                     ? 0
                                                     : committed.exception_ids.front()}}));
        return;
      }
      const auto committed =
          store->commit_batch(rules->second.rules.source, std::nullopt, {verdict.trigger}, {});
      if (committed.inserted > 0) signal.advanced(committed.last_seq);
      responder.send(http::json_response(
          Status::accepted, boost::json::object{{"id", verdict.trigger.id},
                                                {"type", verdict.trigger.type},
                                                {"duplicate", committed.inserted == 0}}));
    } catch (const store::StoreError& e) {
      responder.send(store_unavailable(e));
    }
  }

  // --- pull ---
  bool check_group(std::string_view group, const http::Responder& responder) {
    if (is_valid_group_name(group)) return true;
    responder.send(
        bad_request("invalid-group", "Consumer group names are [A-Za-z0-9][A-Za-z0-9._-]{0,63}."));
    return false;
  }

  void pull(http::IncomingRequest& request, const http::Responder& responder) {
    if (!auth::authorize_request(authenticator, request.message, auth::Scope::kTriggersRead,
                                 responder)) {
      return;
    }
    const std::string group(request.params.get("group"));
    if (!check_group(group, responder)) return;
    const auto limit = parse_pull_limit(http::query_param(request.query, "limit"));
    if (!limit.error.empty()) return responder.send(bad_request("invalid-limit", limit.error));
    try {
      const auto events = groups->pull(group, limit.limit, now_ms());
      http::Response response{Status::ok, 11};
      response.set(field::field::content_type, "application/cloudevents-batch+json");
      std::string& body = response.body();
      size_t size = 2;
      for (const auto& event : events) size += event.event_json.size() + 1;
      body.reserve(size);
      body += '[';
      for (size_t i = 0; i < events.size(); ++i) {
        if (i > 0) body += ',';
        body += events[i].event_json;
      }
      body += ']';
      responder.send(std::move(response));
    } catch (const store::StoreError& e) {
      responder.send(store_unavailable(e));
    }
  }

  void ack(http::IncomingRequest& request, const http::Responder& responder) {
    if (!auth::authorize_request(authenticator, request.message, auth::Scope::kTriggersRead,
                                 responder)) {
      return;
    }
    const std::string group(request.params.get("group"));
    if (!check_group(group, responder)) return;
    const auto parsed = parse_ack_body(request.message.body());
    if (!parsed.error.empty()) return responder.send(bad_request("invalid-ack", parsed.error));
    try {
      const auto result = groups->ack(group, parsed.ids);
      boost::json::array not_pending;
      for (const auto& id : result.not_pending) not_pending.emplace_back(id);
      responder.send(http::json_response(
          Status::ok, boost::json::object{{"acknowledged", result.acknowledged},
                                          {"not_pending", std::move(not_pending)}}));
    } catch (const store::StoreError& e) {
      responder.send(store_unavailable(e));
    }
  }

  // --- SSE ---
  void stream(http::IncomingRequest& request, const http::Responder& responder) {
    if (!auth::authorize_request(authenticator, request.message, auth::Scope::kTriggersRead,
                                 responder)) {
      return;
    }
    const auto resume = parse_resume(header(request.message, "Last-Event-ID"),
                                     http::query_param(request.query, "after"));
    if (!resume.error.empty()) return responder.send(bad_request("invalid-resume", resume.error));
    int64_t after = 0;
    try {
      after = resume.after ? *resume.after : store->last_seq();
    } catch (const store::StoreError& e) {
      return responder.send(store_unavailable(e));
    }
    auto channel = std::make_shared<http::StreamChannel>();
    (void)channel->write("retry: 2000\n\n");
    hub->add(channel, after, parse_type_filter(http::query_param(request.query, "types")));
    http::Response head{Status::ok, 11};
    head.set(field::field::content_type, "text/event-stream; charset=utf-8");
    head.set(field::field::cache_control, "no-cache");
    head.set("X-Accel-Buffering", "no");
    responder.send(http::make_stream_response(std::move(head), channel));
  }

  // --- dead letters and exceptions ---
  static boost::json::object dead_letter_json(const DeadLetter& letter) {
    boost::json::object out{{"id", letter.id},
                            {"subscription", letter.subscription},
                            {"event_id", letter.event_id},
                            {"seq", letter.seq},
                            {"attempts", letter.attempts},
                            {"last_error", letter.last_error},
                            {"created_at", rfc3339_ms(letter.created_ms)}};
    if (letter.replayed_ms) out["replayed_at"] = rfc3339_ms(*letter.replayed_ms);
    boost::system::error_code ec;
    auto event = boost::json::parse(letter.event_json, ec);
    if (!ec) out["event"] = std::move(event);
    out["links"] = boost::json::object{
        {"replay", "/v1/triggers/dead-letters/" + std::to_string(letter.id) + "/replay"}};
    return out;
  }

  struct Page {
    int64_t after = 0;
    size_t limit = 100;
    std::string error;
  };
  static Page page_of(const std::string& query) {
    Page page;
    if (auto after = http::query_param(query, "after")) {
      auto parsed = parse_resume(std::nullopt, after);
      if (!parsed.error.empty() || !parsed.after) {
        page.error = "after must be a decimal id";
        return page;
      }
      page.after = *parsed.after;
    }
    auto limit = parse_pull_limit(http::query_param(query, "limit"));
    if (!limit.error.empty()) page.error = limit.error;
    page.limit = std::min<size_t>(limit.limit, 1000);
    return page;
  }

  void list_dead_letters(http::IncomingRequest& request, const http::Responder& responder) {
    if (!auth::authorize_request(authenticator, request.message, auth::Scope::kAdmin, responder)) {
      return;
    }
    const Page page = page_of(request.query);
    if (!page.error.empty()) return responder.send(bad_request("invalid-query", page.error));
    try {
      const auto letters = store->dead_letters(
          http::query_param(request.query, "subscription").value_or(""), page.after, page.limit);
      boost::json::array items;
      for (const auto& letter : letters) items.push_back(dead_letter_json(letter));
      boost::json::object body{{"items", std::move(items)}};
      if (letters.size() == page.limit) body["next_after"] = letters.back().id;
      responder.send(http::json_response(Status::ok, body));
    } catch (const store::StoreError& e) {
      responder.send(store_unavailable(e));
    }
  }

  void replay_dead_letter(http::IncomingRequest& request, const http::Responder& responder) {
    if (!auth::authorize_request(authenticator, request.message, auth::Scope::kAdmin, responder)) {
      return;
    }
    const auto id = parse_id(request.params.get("id"));
    try {
      const auto letter = id ? store->dead_letter(*id) : std::nullopt;
      if (!letter) {
        return responder.send(http::problem_response(
            Status::not_found, "dead-letter-not-found", "Not Found",
            "No dead letter with id '" + std::string(request.params.get("id")) + "'."));
      }
      const auto dispatcher = dispatchers.find(letter->subscription);
      if (dispatcher == dispatchers.end()) {
        return responder.send(http::problem_response(
            Status::conflict, "subscription-gone", "Conflict",
            "Subscription '" + letter->subscription + "' is no longer configured."));
      }
      store->mark_replayed(letter->id);
      dispatcher->second->replay(*letter);
      logging::logger()->info("dead letter {} (event {}) replayed to subscription '{}'", letter->id,
                              letter->event_id, letter->subscription);
      auto body = dead_letter_json(*letter);
      body["status"] = "replaying";
      responder.send(http::json_response(Status::accepted, body));
    } catch (const store::StoreError& e) {
      responder.send(store_unavailable(e));
    }
  }

  void list_exceptions(http::IncomingRequest& request, const http::Responder& responder) {
    if (!auth::authorize_request(authenticator, request.message, auth::Scope::kAdmin, responder)) {
      return;
    }
    const Page page = page_of(request.query);
    if (!page.error.empty()) return responder.send(bad_request("invalid-query", page.error));
    try {
      const auto rows = store->exceptions(page.after, page.limit);
      boost::json::array items;
      for (const auto& row : rows) {
        boost::json::object item{{"id", row.id},
                                 {"source", row.source},
                                 {"reason", row.reason},
                                 {"created_at", rfc3339_ms(row.created_ms)},
                                 {"occurrences", row.occurrences}};
        boost::system::error_code ec;
        auto record = boost::json::parse(row.record_json, ec);
        item["record"] = ec ? boost::json::value(row.record_json) : std::move(record);
        items.push_back(std::move(item));
      }
      boost::json::object body{{"items", std::move(items)}};
      if (rows.size() == page.limit) body["next_after"] = rows.back().id;
      responder.send(http::json_response(Status::ok, body));
    } catch (const store::StoreError& e) {
      responder.send(store_unavailable(e));
    }
  }

  // Runs `handler` on the pool (store I/O never blocks the HTTP threads).
  template <typename Method>
  http::Handler on_pool(Method method) {
    return [this, method](http::IncomingRequest&& request, http::Responder responder) {
      auto shared = std::make_shared<http::IncomingRequest>(std::move(request));
      boost::asio::post(pool, [this, method, shared, responder] {
        try {
          (this->*method)(*shared, responder);
        } catch (const std::exception& e) {
          logging::logger()->error("trigger handler failed: {}", e.what());
          responder.send(http::problem_response(Status::internal_server_error, "internal-error",
                                                "Internal Server Error",
                                                "The request failed unexpectedly."));
        }
      });
    };
  }
};

TriggerService::TriggerService(const TriggerServiceContext& context)
    : impl_(std::make_unique<Impl>(context)) {
  auto& s = *impl_;
  s.schemas.load_directory(context.schemas);
  for (const auto& source : s.config.poll_sources) {
    const auto block = source_block(context.root, "poll", source.rules.source);
    (void)s.compile(source.rules, block, context.mappings);  // names the bad key first
    const auto* adapter = s.adapters.find(source.rules.adapter);
    if (!adapter->can(CG_CAP_POLL)) {
      block.fail("adapter", "adapter '" + source.rules.adapter + "' (plugin " +
                                adapter->plugin().name() + ") cannot poll");
    }
  }
  for (const auto& source : s.config.inbound_sources) {
    const auto block = source_block(context.root, "inbound", source.rules.source);
    s.inbound_rules.emplace(source.rules.adapter, s.compile(source.rules, block, context.mappings));
  }
  for (const auto& subscription : s.config.subscriptions) {
    if (parse_webhook_url(subscription.url).host.empty()) {
      context.root.child("triggers")
          .child("subscriptions")
          .child(subscription.name)
          .fail("url", "expected http://host[:port][/path]");
    }
  }

  s.store = std::make_unique<TriggerStore>(s.config.store_path);
  logging::logger()->info("trigger store {} open (WAL, synchronous=FULL)",
                          s.config.store_path.string());
  s.signal.advanced(s.store->last_seq());
  auto& ingested = context.metrics.counter("coregate_triggers_ingested_total",
                                           "New triggers committed to the trigger log", {"source"});
  auto& duplicates =
      context.metrics.counter("coregate_trigger_duplicates_total",
                              "Polled records whose trigger was already in the log", {"source"});
  auto& exceptions = context.metrics.counter(
      "coregate_trigger_exceptions_total",
      "Records that failed mapping, validation or their natural key (trigger exceptions)",
      {"source"});
  auto& poll_failures =
      context.metrics.counter("coregate_trigger_poll_failures_total",
                              "Failed polls or commits (retried after interval)", {"source"});
  for (const auto& source : s.config.poll_sources) {
    const auto block = source_block(context.root, "poll", source.rules.source);
    const std::string& name = source.rules.source;
    const SourceMetrics source_metrics{&ingested.labels({name}), &duplicates.labels({name}),
                                       &exceptions.labels({name}), &poll_failures.labels({name})};
    s.pollers.push_back(std::make_unique<Poller>(
        source, s.compile(source.rules, block, context.mappings),
        *s.adapters.find(source.rules.adapter), *s.store, s.signal, source_metrics));
  }
  s.groups = std::make_unique<ConsumerGroups>(*s.store, s.config);
  s.hub = std::make_unique<SseHub>(*s.store, s.signal, s.config.heartbeat);
  auto& deliveries = context.metrics.counter(
      "coregate_webhook_deliveries_total",
      "Webhook POSTs by result: delivered, failed_attempt (retried), dead_lettered",
      {"subscription", "result"});
  for (const auto& subscription : s.config.subscriptions) {
    const std::string& name = subscription.name;
    const SubscriptionMetrics subscription_metrics{&deliveries.labels({name, "delivered"}),
                                                   &deliveries.labels({name, "failed_attempt"}),
                                                   &deliveries.labels({name, "dead_lettered"})};
    s.dispatchers.emplace(name, std::make_unique<WebhookDispatcher>(
                                    subscription, *s.store, s.signal, subscription_metrics));
  }
  s.publisher = std::make_unique<OutcomeResultPublisher>(
      *s.store, s.signal,
      &context.metrics.histogram(
          "coregate_trigger_to_writeback_seconds",
          "Time from a trigger's emission to the writeback of the outcome that names it.", {"type"},
          {1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600}));

  auto& router = context.router;
  router.add(http::Verb::post, "/v1/inbound/{adapter}", s.on_pool(&Impl::inbound));
  router.add(http::Verb::get, "/v1/consumers/{group}/triggers", s.on_pool(&Impl::pull));
  router.add(http::Verb::post, "/v1/consumers/{group}/ack", s.on_pool(&Impl::ack));
  router.add(http::Verb::get, "/v1/triggers/stream", s.on_pool(&Impl::stream));
  router.add(http::Verb::get, "/v1/triggers/dead-letters", s.on_pool(&Impl::list_dead_letters));
  router.add(http::Verb::post, "/v1/triggers/dead-letters/{id}/replay",
             s.on_pool(&Impl::replay_dead_letter));
  router.add(http::Verb::get, "/v1/triggers/exceptions", s.on_pool(&Impl::list_exceptions));
}

TriggerService::~TriggerService() {
  stop();
}

void TriggerService::start() {
  auto& s = *impl_;
  if (s.started) return;
  s.started = true;
  s.publisher->start();
  s.hub->start();
  for (auto& [name, dispatcher] : s.dispatchers) dispatcher->start();
  for (auto& poller : s.pollers) poller->start();
  logging::logger()->info("triggers: {} poll source(s), {} inbound source(s), {} subscription(s)",
                          s.pollers.size(), s.inbound_rules.size(), s.dispatchers.size());
}

void TriggerService::stop() {
  auto& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  for (auto& poller : s.pollers) poller->stop();
  for (auto& [name, dispatcher] : s.dispatchers) dispatcher->stop();
  s.hub->stop();
  s.pool.join();
  s.publisher->stop();
}

std::string TriggerService::health() const {
  return impl_->store->health();
}

void TriggerService::publish_outcome_result(const engine::OutcomeResultEvent& event) {
  impl_->publisher->publish(event);
}

}  // namespace coregate::triggers
