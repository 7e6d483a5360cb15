// An adapter for SDK tests whose behaviour the config scripts: normal answers that echo what
// crossed the ABI, or an exception of a chosen kind from a chosen hook. Compiled into the test
// binary and exposed through the real COREGATE_PLUGIN macro (scripted_plugin.cc).
//
// Config: {"throw_in": "create|write|probe|poll|inbound|health",
//          "throw_kind": "std|int|cstr|string", "message": "...", "required": "..."}
#pragma once

#include <boost/json/serialize.hpp>
#include <stdexcept>
#include <string>

#include <coregate/sdk/adapter.h>
#include <coregate/sdk/config.h>
#include <coregate/sdk/host.h>

namespace coregate::testing {

class ScriptedAdapter : public sdk::Adapter {
 public:
  ScriptedAdapter(const sdk::AdapterConfig& config, sdk::Host host)
      : host_(host),
        throw_in_(config.string_or("throw_in", "")),
        throw_kind_(config.string_or("throw_kind", "std")),
        message_(config.string_or("message", "scripted failure")) {
    // Typed accessors at create time: a wrong type must fail create and name the key.
    (void)config.integer_or("count", 0);
    if (config.has("required")) (void)config.string("required");
    if (config.has("password")) password_ = config.secret("password");
    maybe_throw("create");
  }

  sdk::WriteResult write(const sdk::WriteRequest& r) override {
    maybe_throw("write");
    std::string key(r.idempotency_key);
    if (key.rfind("retry", 0) == 0)
      return sdk::WriteResult::retryable("busy " + key, std::chrono::milliseconds(750));
    if (key.rfind("reject", 0) == 0) return sdk::WriteResult::rejected("bad " + key);
    if (key.rfind("ambiguous", 0) == 0) return sdk::WriteResult::ambiguous("lost " + key);
    if (key.rfind("dup", 0) == 0) return sdk::WriteResult::already_applied("ref-" + key, "seen");
    // Echo every request field so the test can check what crossed.
    std::string echo = std::string(r.outcome_id) + "|" + std::string(r.outcome_type) + "|" +
                       std::string(r.subject) + "|" + std::to_string(r.attempt) + "|" +
                       boost::json::serialize(r.record) + "|" +
                       std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          r.deadline.time_since_epoch())
                                          .count());
    sdk::WriteResult result = sdk::WriteResult::applied("ref-" + key);
    result.diagnostic = echo;
    return result;
  }

  sdk::ProbeResult probe(const sdk::ProbeRequest& r) override {
    maybe_throw("probe");
    std::string key(r.idempotency_key);
    if (key == "landed") return sdk::ProbeResult::applied("ref-landed");
    if (key == "missing") return sdk::ProbeResult::not_found();
    return sdk::ProbeResult::unknown("cannot tell " + key + " " + boost::json::serialize(r.record));
  }

  sdk::PollResult poll(const sdk::PollRequest& r) override {
    maybe_throw("poll");
    sdk::PollResult result;
    for (uint32_t i = 0; i < r.max_records; ++i) {
      result.records.push_back(boost::json::object{{"n", i}, {"source", r.source}});
    }
    result.next_cursor = std::string(r.cursor) + "+" + std::to_string(r.max_records);
    return result;
  }

  sdk::InboundReply inbound(const sdk::InboundRequest& r) override {
    maybe_throw("inbound");
    sdk::InboundReply reply;
    reply.status = 202;
    reply.records.push_back(boost::json::object{
        {"body", r.body}, {"method", r.method}, {"target", r.target}, {"headers", r.headers}});
    reply.headers["x-echo"] = "yes";
    reply.body = "accepted";
    return reply;
  }

  sdk::HealthResult health(const sdk::HealthRequest&) override {
    maybe_throw("health");
    host_.info("health checked");
    host_.count("checks_total", 1, {{"kind", "health"}});
    return {sdk::HealthState::kDegraded, "half the links are down" + password_};
  }

 private:
  void maybe_throw(const std::string& hook) const {
    if (throw_in_ != hook) return;
    if (throw_kind_ == "int") throw 42;
    if (throw_kind_ == "cstr") throw "c string failure";
    if (throw_kind_ == "string") throw std::string("std::string failure");
    throw std::runtime_error(message_);
  }

  sdk::Host host_;
  std::string throw_in_, throw_kind_, message_, password_;
};

// An adapter that implements nothing: for capability tests.
class BareAdapter : public sdk::Adapter {
 public:
  BareAdapter(const sdk::AdapterConfig&, sdk::Host) {}
};

}  // namespace coregate::testing
