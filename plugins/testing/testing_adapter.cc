#include "plugins/testing/testing_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>
#include <thread>
#include <utility>

namespace coregate::plugins::testing {
namespace {

using sdk::WriteResult;
using std::chrono::milliseconds;

constexpr std::string_view kStaticOnlyKeys[] = {
    "seed",         "journal",        "journal_fsync", "control_file", "reference_prefix",
    "keep_records", "inbound_control"};
constexpr milliseconds kMaxHang{600'000};
constexpr milliseconds kHealthHang{30'000};

bool is_runtime_key(std::string_view key) {
  for (auto k : kRuntimeKeys) {
    if (k == key) return true;
  }
  return false;
}

std::string text_or(const FaultRule* rule, std::string fallback) {
  return rule != nullptr && !rule->diagnostic.empty() ? rule->diagnostic : std::move(fallback);
}

sdk::InboundReply json_reply(int status, const boost::json::object& body) {
  sdk::InboundReply reply;
  reply.status = status;
  reply.headers["content-type"] = "application/json";
  reply.body = boost::json::serialize(body);
  return reply;
}

sdk::InboundReply error_reply(int status, std::string message) {
  return json_reply(status, boost::json::object{{"error", std::move(message)}});
}

}  // namespace

TestingAdapter::TestingAdapter(const sdk::AdapterConfig& config, sdk::Host host)
    : name_(config.instance_name()),
      host_(host),
      static_(StaticSettings::parse(config)),
      store_(static_.reference_prefix, static_.keep_records) {
  // The gateway validates the block against our schema; this repeats the key check so a host
  // without a validator (a unit test, an older gateway) still gets a named error.
  config.expect_only({"seed", "journal", "journal_fsync", "control_file", "reference_prefix",
                      "keep_records", "inbound_control", "latency_ms", "jitter_ms", "health",
                      "health_detail", "faults"});
  for (const auto& entry : config.values()) {
    if (is_runtime_key(entry.key())) static_runtime_[entry.key()] = entry.value();
  }
  install({});
  if (!static_.journal.empty()) {
    std::string warning;
    store_.open_journal(static_.journal, static_.journal_fsync, warning);
    if (!warning.empty()) host_.warn(warning);
  }
  if (!static_.control_file.empty()) {
    control_file_.emplace(static_.control_file);
    current_plan();  // apply an existing control file now, and report a bad one at start-up
  }
  host_.info("testing adapter ready: " + std::to_string(store_.size()) + " applied writes" +
             (static_.journal.empty() ? " (memory only)" : " reloaded from " + static_.journal));
}

uint64_t TestingAdapter::install(const boost::json::object& control) {
  sdk::AdapterConfig control_view(name_, control, host_);
  for (const auto& entry : control) {
    for (auto k : kStaticOnlyKeys) {
      if (k == entry.key()) {
        throw sdk::ConfigError("adapter '" + name_ + "': config key '" + std::string(k) +
                               "' cannot change at run time (only latency_ms, jitter_ms, health, "
                               "health_detail and faults can)");
      }
    }
  }
  control_view.expect_only({"latency_ms", "jitter_ms", "health", "health_detail", "faults"});
  boost::json::object merged = static_runtime_;
  for (const auto& entry : control) merged[entry.key()] = entry.value();
  auto plan = std::make_shared<FaultPlan>(
      RuntimeSettings::parse(sdk::AdapterConfig(name_, std::move(merged), host_)), static_.seed);
  std::lock_guard lock(mutex_);
  plan_ = std::move(plan);
  control_error_.clear();
  return ++generation_;
}

std::shared_ptr<FaultPlan> TestingAdapter::current_plan() {
  if (control_file_) {
    try {
      if (auto control = control_file_->check()) {
        uint64_t generation = install(*control);
        host_.info("control file '" + control_file_->path() +
                   (control_file_->present() ? "' applied" : "' absent: static config in force") +
                   " (generation " + std::to_string(generation) + ")");
      }
    } catch (const std::exception& e) {
      // Keep the settings in force: a typo in a control file must not turn faults off silently,
      // so it is logged and shown in health and stats until a good file replaces it.
      std::string message = "control file '" + control_file_->path() + "' ignored: " + e.what();
      host_.error(message);
      std::lock_guard lock(mutex_);
      control_error_ = std::move(message);
    }
  }
  std::lock_guard lock(mutex_);
  return plan_;
}

void TestingAdapter::sleep_for(milliseconds delay) const {
  // Real time on purpose: latency and hangs must cost wall time even under a fake host clock.
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
}

void TestingAdapter::hang(const FaultPlan& plan, std::chrono::system_clock::time_point deadline,
                          milliseconds fallback) {
  ++counters_.hangs;
  milliseconds delay{plan.settings().hang_ms};
  if (delay.count() == 0) {
    delay =
        deadline.time_since_epoch().count() == 0
            ? fallback
            : std::chrono::duration_cast<milliseconds>(deadline - host_.now()) + milliseconds(1000);
  }
  sleep_for(std::clamp(delay, milliseconds(0), kMaxHang));
}

void TestingAdapter::note_fault(Hook hook, Fault fault) const {
  host_.count("testing_faults_injected_total", 1,
              {{"hook", hook_name(hook)}, {"fault", fault_name(fault)}});
}

sdk::WriteResult TestingAdapter::write(const sdk::WriteRequest& request) {
  ++counters_.writes;
  std::shared_ptr<FaultPlan> plan = current_plan();
  const std::string_view key = request.idempotency_key;
  FaultDecision decision =
      plan->for_write(key, request.subject, request.outcome_type, request.attempt);
  Fault fault = decision.fault;
  if (fault == Fault::kAmbiguous) {
    fault = plan->ambiguous_lands(key, request.attempt) ? Fault::kAmbiguousApplied
                                                        : Fault::kAmbiguousNotApplied;
  }
  if (fault != Fault::kNone) note_fault(Hook::kWrite, decision.fault);
  sleep_for(plan->latency(key, request.attempt));

  const std::string quoted = "'" + std::string(key) + "'";
  auto ambiguous = [&](std::string text) {
    ++counters_.ambiguous;
    return WriteResult::ambiguous(text_or(decision.rule, std::move(text)));
  };
  switch (fault) {
    case Fault::kThrow:
      ++counters_.thrown;
      throw std::runtime_error(
          text_or(decision.rule, "testing: injected exception in write for key " + quoted));
    case Fault::kRetryable: {
      ++counters_.retryable;
      int64_t after = decision.rule != nullptr && decision.rule->retry_after_ms >= 0
                          ? decision.rule->retry_after_ms
                          : plan->settings().retry_after_ms;
      return WriteResult::retryable(
          text_or(decision.rule, "testing: injected RETRYABLE (503 Service Unavailable), key " +
                                     quoted + " not applied"),
          milliseconds(after));
    }
    case Fault::kRejected:
      ++counters_.rejected;
      return WriteResult::rejected(text_or(
          decision.rule,
          "testing: injected REJECTED (422 validation failed), key " + quoted + " not applied"));
    case Fault::kAmbiguousNotApplied:
      return ambiguous(
          "testing: injected AMBIGUOUS (connection reset before the target read "
          "the request), key " +
          quoted + " not applied");
    case Fault::kHang:
      hang(*plan, request.deadline, milliseconds(1000));
      return ambiguous("testing: injected hang past the deadline, key " + quoted + " not applied");
    default:
      break;
  }

  // Every remaining case applies the write (unless the key already was).
  std::string_view answered = fault == Fault::kNone             ? "applied"
                              : fault == Fault::kAlreadyApplied ? "already_applied"
                                                                : "ambiguous";
  RecordStore::Outcome outcome =
      store_.apply(request, answered, host_.now().time_since_epoch() / milliseconds(1));
  if (outcome.status == RecordStore::Status::kNotApplied) {
    ++counters_.retryable;
    return WriteResult::retryable("testing: journal refused the write: " + outcome.error);
  }
  if (outcome.status == RecordStore::Status::kDurabilityUnknown) {
    return ambiguous("testing: journal sync failed, key " + quoted +
                     " may or may not be applied: " + outcome.error);
  }
  const bool fresh = outcome.status == RecordStore::Status::kFresh;
  switch (fault) {
    case Fault::kAmbiguousApplied:
      return ambiguous(
          "testing: injected AMBIGUOUS (connection lost after the target applied "
          "the write), key " +
          quoted + (fresh ? " applied as " : " applied before as ") + outcome.reference);
    case Fault::kHangApplied:
      hang(*plan, request.deadline, milliseconds(1000));
      return ambiguous("testing: injected hang past the deadline after applying key " + quoted +
                       " as " + outcome.reference);
    case Fault::kAlreadyApplied:
      ++counters_.already_applied;
      return WriteResult::already_applied(
          outcome.reference, text_or(decision.rule, "testing: injected ALREADY_APPLIED"));
    default:
      break;
  }
  if (fresh) {
    ++counters_.applied;
    return WriteResult::applied(outcome.reference);
  }
  ++counters_.already_applied;
  return WriteResult::already_applied(
      outcome.reference,
      "testing: key " + quoted + " was applied before as seq " + std::to_string(outcome.seq));
}

sdk::ProbeResult TestingAdapter::probe(const sdk::ProbeRequest& request) {
  ++counters_.probes;
  std::shared_ptr<FaultPlan> plan = current_plan();
  const std::string key(request.idempotency_key);
  uint64_t probe_number;
  {
    std::lock_guard lock(mutex_);
    probe_number = ++probe_counts_[key];
  }
  FaultDecision decision = plan->for_probe(key, probe_number);
  if (decision.fault != Fault::kNone) note_fault(Hook::kProbe, decision.fault);
  sleep_for(plan->latency(key, probe_number));
  switch (decision.fault) {
    case Fault::kThrow:
      ++counters_.thrown;
      throw std::runtime_error(
          text_or(decision.rule, "testing: injected exception in probe for key '" + key + "'"));
    case Fault::kUnknown:
      return sdk::ProbeResult::unknown(
          text_or(decision.rule, "testing: injected UNKNOWN (the target could not be asked)"));
    case Fault::kHang:
      hang(*plan, request.deadline, milliseconds(1000));
      return sdk::ProbeResult::unknown(
          text_or(decision.rule, "testing: injected hang past the deadline in probe"));
    default:
      break;
  }
  std::string error;
  std::optional<std::string> reference = store_.find(key, error);
  if (reference) return sdk::ProbeResult::applied(*reference);
  if (!error.empty()) return sdk::ProbeResult::unknown("testing: " + error);
  return sdk::ProbeResult::not_found();
}

sdk::HealthResult TestingAdapter::health(const sdk::HealthRequest& request) {
  uint64_t check = ++counters_.health_checks;
  std::shared_ptr<FaultPlan> plan = current_plan();
  FaultDecision decision = plan->for_health(check);
  if (decision.fault != Fault::kNone) note_fault(Hook::kHealth, decision.fault);
  if (decision.fault == Fault::kThrow) {
    ++counters_.thrown;
    throw std::runtime_error(text_or(decision.rule, "testing: injected exception in health"));
  }
  if (decision.fault == Fault::kHang) {
    hang(*plan, request.deadline, kHealthHang);
  }
  std::string journal_problem = store_.journal_problem();
  if (!journal_problem.empty()) {
    return {sdk::HealthState::kUnhealthy, "testing: journal broken: " + journal_problem};
  }
  const RuntimeSettings& s = plan->settings();
  std::string detail =
      !s.health_detail.empty()
          ? s.health_detail
          : "testing adapter: " + std::to_string(store_.size()) + " applied writes";
  std::lock_guard lock(mutex_);
  if (!control_error_.empty()) detail += "; " + control_error_;
  return {s.health, detail};
}

std::string TestingAdapter::stats_json() const {
  boost::json::object stats{
      {"writes", counters_.writes.load()},
      {"applied", counters_.applied.load()},
      {"already_applied", counters_.already_applied.load()},
      {"retryable", counters_.retryable.load()},
      {"rejected", counters_.rejected.load()},
      {"ambiguous", counters_.ambiguous.load()},
      {"thrown", counters_.thrown.load()},
      {"hangs", counters_.hangs.load()},
      {"probes", counters_.probes.load()},
      {"health_checks", counters_.health_checks.load()},
      {"records", store_.size()},
  };
  std::lock_guard lock(mutex_);
  stats["generation"] = generation_;
  stats["control_error"] = control_error_;
  return boost::json::serialize(boost::json::object{{"stats", std::move(stats)}});
}

sdk::InboundReply TestingAdapter::inbound(const sdk::InboundRequest& request) {
  if (!static_.inbound_control) {
    return error_reply(404, "testing adapter '" + name_ + "': inbound_control is off");
  }
  current_plan();
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(request.body, ec);
  if (ec || !body.is_object() || body.as_object().size() != 1) {
    return error_reply(400,
                       "expected one of {\"control\": {...}}, {\"records\": true | "
                       "{\"subject\": \"...\"}}, {\"stats\": true}");
  }
  const auto& command = *body.as_object().begin();
  if (command.key() == "control") {
    if (!command.value().is_object()) return error_reply(400, "\"control\" must be an object");
    try {
      uint64_t generation = install(command.value().as_object());
      host_.info("inbound control applied (generation " + std::to_string(generation) + ")");
      return json_reply(200, {{"ok", true}, {"generation", generation}});
    } catch (const sdk::ConfigError& e) {
      return error_reply(400, e.what());
    }
  }
  if (command.key() == "records") {
    if (!store_.keeps_records()) return error_reply(409, "keep_records is off");
    std::string subject;
    if (command.value().is_object()) {
      if (const auto* s = command.value().as_object().if_contains("subject");
          s != nullptr && s->is_string()) {
        subject = std::string(s->as_string());
      }
    }
    boost::json::array records = store_.records(subject);
    size_t count = records.size();
    return json_reply(200, {{"records", std::move(records)}, {"count", count}});
  }
  if (command.key() == "stats") {
    sdk::InboundReply reply;
    reply.status = 200;
    reply.headers["content-type"] = "application/json";
    reply.body = stats_json();
    return reply;
  }
  return error_reply(400, "unknown command '" + std::string(command.key()) +
                              "' (expected control, records or stats)");
}

}  // namespace coregate::plugins::testing
