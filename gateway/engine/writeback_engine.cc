#include "gateway/engine/writeback_engine.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "gateway/engine/adapter_policy.h"
#include "gateway/engine/attempt_verdict.h"
#include "gateway/engine/circuit_breaker.h"
#include "gateway/engine/oldest_tracker.h"
#include "gateway/intake/outcome_id.h"

namespace coregate::engine {
namespace {

using std::chrono::milliseconds;

int64_t to_ms(TimePoint t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

TimePoint from_ms(int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(milliseconds(ms)));
}

constexpr size_t kNoLane = static_cast<size_t>(-1);

struct RouteStep {
  size_t lane = kNoLane;
  std::string mapping_name;
  std::shared_ptr<const mapping::CompiledMapping> mapping;  // null = identity
  RetryPolicy retry;  // the lane's, narrowed by the step's policy
};

struct Route {
  std::vector<RouteStep> steps;
};

struct Payload {
  std::string id;
  std::string type;
  std::string subject;
  std::optional<std::string> trigger_id;
  std::string body;
  // What it really costs on the heap, allocator overhead included, so the budget is honest.
  size_t bytes() const {
    auto heap = [](const std::string& s) -> size_t {
      return s.capacity() > 15 ? (s.capacity() + 1 + 16 + 15) / 16 * 16 : 0;
    };
    return sizeof(Payload) + 16 + heap(id) + heap(type) + heap(subject) + heap(body) +
           (trigger_id ? heap(*trigger_id) : 0);
  }
};

// One unfinished outcome. Kept small (about 112 bytes): a million of them wait while a target is
// down.
struct Work {
  int64_t seq = 0;
  uint64_t subject_key = 0;
  const Route* route = nullptr;
  Work* next_in_subject = nullptr;
  std::unique_ptr<Payload> payload;  // null: read back from the store when its turn comes
  // References of the steps applied so far; multi-step plans only (the last step's comes with
  // its result).
  std::unique_ptr<std::vector<std::optional<std::string>>> references;
  uint64_t lane_ticket = 0;
  uint64_t global_ticket = 0;
  int64_t created_ms = 0;
  int64_t first_attempt_ms = 0;  // of the current budget; 0 = not attempted yet
  int64_t not_before_ms = 0;     // a persisted retry time: wait for it before claiming
  int32_t attempt_no = 0;        // the current step's latest attempt number
  int32_t key_generation = 0;
  uint32_t budget_attempts = 0;  // attempts of the current step since its budget started
  uint16_t step = 0;
  uint16_t probe_rounds = 0;  // probes of the current in-doubt attempt so far
  bool in_doubt = false;      // a leased attempt found at start-up: settle it before writing again
};

struct SubjectQueue {
  Work* head = nullptr;
  Work* tail = nullptr;
};

struct Lane {
  std::string name;
  std::string plugin;
  const plugin_host::AdapterInstance* adapter = nullptr;  // null: no longer configured
  AdapterPolicy policy;
  std::unique_ptr<CircuitBreaker> breaker;

  std::deque<Work*> ready;    // waiting for a claim
  std::deque<Work*> claimed;  // claimed (leased), waiting for a worker
  size_t claiming = 0;
  size_t running = 0;
  size_t waiting = 0;    // on a retry timer
  size_t finishing = 0;  // written, result being committed
  bool pump_timer_armed = false;
  OldestTracker oldest;

  std::vector<std::thread> workers;
  std::condition_variable work_cv;
  std::thread health_thread;

  std::deque<bool> window;  // recent terminal step results, true = applied
  size_t window_applied = 0;
  uint64_t applied = 0, failed = 0, retries = 0, duplicates = 0;
  std::string last_error;
  int64_t last_error_at_ms = 0;
  sdk::HealthResult health{sdk::HealthState::kHealthy, "not checked yet"};
  int64_t health_at_ms = 0;
};

struct TimerEntry {
  Work* work = nullptr;   // a retry that is due
  size_t lane = kNoLane;  // or: pump this lane (its breaker lets a trial through)
};

// The write that hands a claimed but unsent step back: pending again at once, the attempt not
// charged to the budget, the step's last error left as it was.
store::FinishStep released_step(int64_t seq, uint32_t step, int64_t attempt_no, int64_t at_ms,
                                std::string why) {
  store::FinishStep release;
  release.outcome_seq = seq;
  release.step_index = step;
  release.attempt_no = attempt_no;
  release.at_ms = at_ms;
  release.classification = "released";
  release.detail = std::move(why);
  release.step_status = "pending";
  release.next_attempt_at_ms = at_ms;
  release.released = true;
  return release;
}

uint64_t subject_key_of(std::string_view subject) {
  // A collision only makes two subjects share a FIFO (stricter than needed), never reorders one.
  return std::hash<std::string_view>{}(subject);
}

std::string step_key(const Payload& payload, uint32_t step, int64_t generation) {
  std::string key = payload.id + ":" + std::to_string(step);
  if (generation > 0) key += ":g" + std::to_string(generation);
  return key;
}

}  // namespace

struct WritebackEngine::Impl {
  Dependencies d;
  EngineOptions options;
  std::string lease_owner;

  std::vector<std::unique_ptr<Lane>> lanes;
  std::map<std::string, size_t, std::less<>> lane_by_name;
  std::map<std::string, std::unique_ptr<Route>, std::less<>> stored_routes;  // by signature

  mutable std::mutex m;
  mutable std::condition_variable idle_cv;
  std::condition_variable timer_cv;
  std::condition_variable health_cv;
  std::unordered_map<uint64_t, SubjectQueue> subjects;
  std::multimap<int64_t, TimerEntry> timers;
  size_t unfinished = 0;
  size_t payload_bytes = 0;
  size_t store_writes_in_flight = 0;
  OldestTracker oldest;
  bool started = false;
  bool stopping = false;
  bool stopped = false;
  std::thread timer_thread;

  // Metric families (metrics_registry.h); the gauges are sampled by collect_metrics().
  metrics::CounterFamily* accepted;
  metrics::CounterFamily* attempts;
  metrics::HistogramFamily* latency;
  metrics::CounterFamily* retries;
  metrics::CounterFamily* duplicates;
  metrics::CounterFamily* exceptions;
  metrics::CounterFamily* steps_finished;
  metrics::GaugeFamily* breaker_state;
  metrics::GaugeFamily* queue_depth;
  metrics::GaugeFamily* in_flight;
  metrics::GaugeFamily* oldest_age;
  metrics::GaugeFamily* success_ratio;
  metrics::GaugeFamily* unfinished_gauge;

  explicit Impl(Dependencies deps, EngineOptions opts) : d(std::move(deps)), options(opts) {}

  int64_t now_ms() const { return to_ms(d.clock.now()); }

  size_t lane_for(std::string_view adapter_name);
  const Route* route_for_steps(const std::vector<store::PendingStep>& steps, std::string_view type);
  std::unique_ptr<Work> work_from_unfinished(store::UnfinishedOutcome&& o);

  void enqueue_locked(Work* w);
  void activate_locked(Work* w);
  void make_ready_locked(Lane& lane, Work* w);
  void pump_locked(Lane& lane);
  void claim_locked(Lane& lane, Work* w);
  void arm_timer_locked(int64_t due_ms, TimerEntry entry);
  void finish_outcome_locked(Work* w, const std::string& status,
                             const std::optional<std::string>& exception_id,
                             const std::optional<std::string>& last_reference);
  void record_terminal_locked(Lane& lane, bool applied);

  void run_worker(Lane& lane);
  void run_attempt(Lane& lane, Work* w);
  void submit_finish(Lane& lane, Work* w, store::FinishStep finish, Verdict verdict);
  void on_finish_committed(Lane& lane, Work* w, const store::FinishStep& finish,
                           const Verdict& verdict);
  void run_timers();
  void run_health(Lane& lane);
  AdapterStatus status_locked(const Lane& lane) const;
};

size_t WritebackEngine::Impl::lane_for(std::string_view adapter_name) {
  if (auto it = lane_by_name.find(adapter_name); it != lane_by_name.end()) return it->second;
  // A step stored for an adapter that is no longer configured: a lane without an adapter, whose
  // worker rejects each step into the exception queue with that reason.
  auto lane = std::make_unique<Lane>();
  lane->name = std::string(adapter_name);
  lane->policy.concurrency = 1;
  lane->breaker = std::make_unique<CircuitBreaker>(lane->policy.breaker, d.clock);
  lanes.push_back(std::move(lane));
  lane_by_name.emplace(std::string(adapter_name), lanes.size() - 1);
  return lanes.size() - 1;
}

const Route* WritebackEngine::Impl::route_for_steps(const std::vector<store::PendingStep>& steps,
                                                    std::string_view type) {
  // The steps as stored with the outcome win over today's plan: a config change never rewrites
  // where an accepted outcome goes. A step's retry budget comes from the adapter, narrowed by the
  // plan step's "policy" when today's plan for the type still has the same steps.
  const Plan* plan = d.plans.resolve(type);
  bool plan_matches = plan != nullptr && plan->steps.size() == steps.size();
  for (size_t i = 0; plan_matches && i < steps.size(); ++i) {
    plan_matches =
        plan->steps[i].adapter == steps[i].adapter && plan->steps[i].mapping == steps[i].mapping;
  }
  std::string signature = plan_matches ? plan->pattern + '\x1d' : std::string();
  for (const auto& s : steps) signature += s.adapter + '\x1f' + s.mapping + '\x1e';
  auto& slot = stored_routes[signature];
  if (!slot) {
    slot = std::make_unique<Route>();
    for (size_t i = 0; i < steps.size(); ++i) {
      const auto& s = steps[i];
      RouteStep step;
      step.lane = lane_for(s.adapter);
      step.mapping_name = s.mapping;
      if (!s.mapping.empty()) step.mapping = d.mappings.find(s.mapping);
      step.retry = lanes[step.lane]->policy.retry;
      if (plan_matches) {
        const StepSpec& spec = plan->steps[i];
        if (spec.max_attempts) step.retry.max_attempts = *spec.max_attempts;
        if (spec.max_age) step.retry.max_age = *spec.max_age;
      }
      slot->steps.push_back(std::move(step));
    }
  }
  return slot.get();
}

std::unique_ptr<Work> WritebackEngine::Impl::work_from_unfinished(store::UnfinishedOutcome&& o) {
  auto w = std::make_unique<Work>();
  w->seq = o.seq;
  w->subject_key = subject_key_of(o.subject);
  w->created_ms = o.created_at_ms;
  w->route = route_for_steps(o.steps, o.type);
  size_t current = o.steps.size();
  for (size_t i = 0; i < o.steps.size(); ++i) {
    if (o.steps[i].status == "applied") continue;
    current = i;
    break;
  }
  if (current == o.steps.size()) return nullptr;  // every step applied: nothing to do
  const auto& step = o.steps[current];
  w->step = static_cast<uint32_t>(current);
  w->attempt_no = step.attempt_count;
  w->budget_attempts =
      static_cast<uint32_t>(std::max<int64_t>(0, step.attempt_count - step.attempt_base));
  w->first_attempt_ms = step.first_attempt_at_ms.value_or(0);
  w->key_generation = step.key_generation;
  w->in_doubt = step.status == "leased";
  // A retry time that was persisted: honour it.
  if (step.next_attempt_at_ms) w->not_before_ms = *step.next_attempt_at_ms;
  return w;
}

void WritebackEngine::Impl::enqueue_locked(Work* w) {
  ++unfinished;
  w->global_ticket = oldest.arrive(w->created_ms);
  auto [it, inserted] = subjects.try_emplace(w->subject_key);
  SubjectQueue& q = it->second;
  w->next_in_subject = nullptr;
  if (q.head == nullptr) {
    q.head = q.tail = w;
    activate_locked(w);
  } else {
    q.tail->next_in_subject = w;
    q.tail = w;
  }
}

void WritebackEngine::Impl::activate_locked(Work* w) {
  Lane& lane = *lanes[w->route->steps[w->step].lane];
  // The first step has waited since the outcome was accepted (also across restarts); later steps
  // since the previous one was applied.
  w->lane_ticket = lane.oldest.arrive(w->step == 0 ? w->created_ms : now_ms());
  if (w->not_before_ms > now_ms()) {
    ++lane.waiting;
    arm_timer_locked(w->not_before_ms, TimerEntry{w, kNoLane});
    w->not_before_ms = 0;
    return;
  }
  w->not_before_ms = 0;
  make_ready_locked(lane, w);
}

void WritebackEngine::Impl::make_ready_locked(Lane& lane, Work* w) {
  if (w->in_doubt) {
    // Already leased (by a dead run, or kept in doubt after an inconclusive probe): straight to a
    // worker, which settles it by probe before anything is written again.
    lane.claimed.push_back(w);
    lane.work_cv.notify_one();
    return;
  }
  lane.ready.push_back(w);
  pump_locked(lane);
}

void WritebackEngine::Impl::arm_timer_locked(int64_t due_ms, TimerEntry entry) {
  const bool earliest = timers.empty() || due_ms < timers.begin()->first;
  timers.emplace(due_ms, entry);
  if (earliest) timer_cv.notify_one();
}

void WritebackEngine::Impl::pump_locked(Lane& lane) {
  if (!started || stopping) return;
  const size_t window =
      std::max<size_t>(static_cast<size_t>(lane.policy.concurrency) * options.claim_window_factor,
                       options.min_claim_window);
  while (!lane.ready.empty() && lane.claiming + lane.claimed.size() + lane.running < window) {
    const CircuitBreaker::Admission admission = lane.breaker->admit();
    if (!admission.allowed) {
      // Open: wake up when it lets a trial through (rounded up to the next millisecond, so the
      // timer never fires just before the breaker is ready). Half-open with its trials out: the
      // trials' results pump the lane again.
      if (admission.wake_at && !lane.pump_timer_armed) {
        lane.pump_timer_armed = true;
        const int64_t wake_ms =
            std::chrono::duration_cast<milliseconds>(admission.wake_at->time_since_epoch() +
                                                     std::chrono::microseconds(999))
                .count();
        arm_timer_locked(wake_ms, TimerEntry{nullptr, lane_by_name.at(lane.name)});
      }
      return;
    }
    Work* w = lane.ready.front();
    lane.ready.pop_front();
    claim_locked(lane, w);
  }
}

void WritebackEngine::Impl::claim_locked(Lane& lane, Work* w) {
  const int64_t now = now_ms();
  ++w->attempt_no;
  ++w->budget_attempts;
  if (w->first_attempt_ms == 0) w->first_attempt_ms = now;
  ++lane.claiming;
  ++store_writes_in_flight;
  store::ClaimStep claim;
  claim.outcome_seq = w->seq;
  claim.step_index = w->step;
  claim.attempt_no = w->attempt_no;
  claim.at_ms = now;
  claim.lease_expires_at_ms = now + lane.policy.timeout.count() + 60'000;
  claim.lease_owner = lease_owner;
  const bool queued =
      d.store.record(std::move(claim), [this, &lane, w](store::EngineWriteResult&& result) {
        std::lock_guard lock(m);
        --store_writes_in_flight;
        --lane.claiming;
        if (result.ok) {
          lane.claimed.push_back(w);
          lane.work_cv.notify_one();
        } else {
          // Not claimed (the store failed the batch): nothing was sent; try again shortly without
          // charging the budget.
          --w->attempt_no;
          --w->budget_attempts;
          ++lane.waiting;
          lane.breaker->on_neutral();
          arm_timer_locked(now_ms() + 1000, TimerEntry{w, kNoLane});
        }
        idle_cv.notify_all();
      });
  if (!queued) {  // the store is stopping: leave the step pending for the next start
    --lane.claiming;
    --store_writes_in_flight;
    --w->attempt_no;
    --w->budget_attempts;
    lane.breaker->on_neutral();
    lane.ready.push_front(w);
  }
}

void WritebackEngine::Impl::run_worker(Lane& lane) {
  for (;;) {
    Work* w = nullptr;
    {
      std::unique_lock lock(m);
      lane.work_cv.wait(lock, [&] { return stopping || !lane.claimed.empty(); });
      if (stopping) return;  // claimed-but-unsent steps are released by stop()
      w = lane.claimed.front();
      lane.claimed.pop_front();
      ++lane.running;
    }
    run_attempt(lane, w);
  }
}

void WritebackEngine::Impl::run_attempt(Lane& lane, Work* w) {
  const RouteStep& route_step = w->route->steps[w->step];
  store::FinishStep finish;
  finish.outcome_seq = w->seq;
  finish.step_index = w->step;
  finish.attempt_no = w->attempt_no;

  if (!w->payload) {
    std::optional<store::OutcomeRecord> record;
    try {
      record = d.store.find_by_seq(w->seq);
    } catch (const std::exception&) {
    }
    auto payload = std::make_unique<Payload>();
    if (record) {
      payload->id = std::move(record->id);
      payload->type = std::move(record->type);
      payload->subject = std::move(record->subject);
      payload->trigger_id = std::move(record->trigger_id);
      payload->body = std::move(record->body_json);
    }
    std::lock_guard lock(m);
    payload_bytes += payload->bytes();
    w->payload = std::move(payload);
  }
  if (!w->in_doubt && lane.breaker->state() == BreakerState::kOpen) {
    // Claimed before the breaker opened: give the lease back unsent, without charging the budget,
    // so steps wait out an open breaker instead of burning attempts.
    finish =
        released_step(w->seq, w->step, w->attempt_no, now_ms(), "circuit breaker open; not sent");
    Verdict release;
    release.kind = Verdict::Kind::kRetry;
    release.detail = finish.detail;
    if (--w->budget_attempts == 0) w->first_attempt_ms = 0;
    submit_finish(lane, w, std::move(finish), std::move(release));
    return;
  }
  const Payload& p = *w->payload;
  const std::string key = step_key(p, w->step, w->key_generation);
  const int64_t started = now_ms();

  // Each later probe of the same in-doubt attempt spends budget like an attempt would, so a
  // target that stays unreachable ends in the exception queue, not in an endless probe loop.
  if (w->in_doubt && w->probe_rounds++ > 0) ++w->budget_attempts;
  AttemptFacts facts;
  facts.attempts = std::max<uint32_t>(1, w->budget_attempts);
  facts.first_attempt = from_ms(w->first_attempt_ms != 0 ? w->first_attempt_ms : started);
  std::optional<std::string> mapped;
  bool mapping_failed = false;
  std::string mapping_error;

  if (lane.adapter == nullptr) {
    facts.result = sdk::WriteResult::rejected("adapter '" + lane.name +
                                              "' is not configured any more; nothing was sent");
  } else if (w->in_doubt) {
    facts.result = sdk::WriteResult::ambiguous(
        "in doubt: the gateway stopped during this attempt, so it may or may not have landed");
  } else if (p.id.empty()) {
    facts.result = sdk::WriteResult::rejected("the outcome could not be read back from the store");
  } else if (route_step.mapping) {
    boost::system::error_code ec;
    const boost::json::value input = boost::json::parse(p.body, ec);
    mapping::MapResult result = route_step.mapping->apply(input, mapping::Direction::to_system);
    if (result.ok) {
      mapped = boost::json::serialize(result.output);
    } else {
      mapping_failed = true;
      mapping_error = result.diagnostic(route_step.mapping_name);
      facts.result = sdk::WriteResult::rejected(mapping_error);
    }
  } else {
    mapped = p.body;
  }

  const bool call_write =
      lane.adapter != nullptr && !w->in_doubt && !p.id.empty() && !mapping_failed;
  if (call_write) {
    plugin_host::WriteCall call;
    call.idempotency_key = key;
    call.outcome_id = p.id;
    call.outcome_type = p.type;
    call.subject = p.subject;
    call.record_json = *mapped;
    call.attempt = static_cast<uint32_t>(w->attempt_no);
    call.deadline_unix_ms = started + lane.policy.timeout.count();
    const auto t0 = std::chrono::steady_clock::now();
    facts.result = lane.adapter->write(call);
    latency->labels({lane.name})
        .observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  if (facts.result.write_class == sdk::WriteClass::kAmbiguous && lane.adapter != nullptr &&
      lane.adapter->can(CG_CAP_PROBE)) {
    plugin_host::ProbeCall probe;
    probe.idempotency_key = key;
    probe.outcome_id = p.id;
    probe.outcome_type = p.type;
    probe.subject = p.subject;
    if (mapped) probe.record_json = *mapped;
    probe.deadline_unix_ms = now_ms() + lane.policy.timeout.count();
    facts.probe = lane.adapter->probe(probe);
  }
  facts.now = d.clock.now();
  Verdict verdict = judge_attempt(facts, route_step.retry, lane.policy.on_ambiguous, d.random);
  if (mapping_failed) verdict.cause = store::ExceptionCause::kMappingFailed;

  // The breaker hears about the target, not about our own mapping or config.
  if (call_write || w->in_doubt) {
    switch (facts.result.write_class) {
      case sdk::WriteClass::kApplied:
      case sdk::WriteClass::kAlreadyApplied:
        lane.breaker->on_success();
        break;
      case sdk::WriteClass::kRetryable:
      case sdk::WriteClass::kAmbiguous:
        if (w->in_doubt) {
          lane.breaker->on_neutral();
        } else {
          lane.breaker->on_failure();
        }
        break;
      case sdk::WriteClass::kRejected:
        lane.breaker->on_neutral();
        break;
    }
  } else {
    lane.breaker->on_neutral();
  }
  attempts
      ->labels({lane.name, w->in_doubt ? std::string("in_doubt")
                                       : std::string(sdk::to_string(facts.result.write_class))})
      .inc();

  const int64_t at = now_ms();
  finish.at_ms = at;
  finish.classification = mapping_failed ? "mapping_failed"
                          : w->in_doubt  ? "in_doubt"
                                         : std::string(sdk::to_string(facts.result.write_class));
  finish.detail = verdict.detail;
  switch (verdict.kind) {
    case Verdict::Kind::kApplied:
      finish.step_status = "applied";
      finish.system_reference = verdict.reference;
      if (w->step + 1u == w->route->steps.size()) finish.outcome_status = "applied";
      break;
    case Verdict::Kind::kRetry:
      // Still in doubt: the step stays leased in the store, so even a restart probes it first.
      finish.step_status = verdict.still_in_doubt ? "leased" : "pending";
      finish.next_attempt_at_ms = at + verdict.delay.count();
      break;
    case Verdict::Kind::kFailed: {
      finish.step_status = "failed";
      finish.outcome_status = "failed";
      store::NewException e;
      e.id = intake::new_outcome_id();
      e.cause = verdict.cause;
      e.adapter = lane.name;
      e.mapped_request = mapped;
      e.last_error = verdict.detail.empty() ? finish.classification : verdict.detail;
      finish.exception = std::move(e);
      break;
    }
  }
  submit_finish(lane, w, std::move(finish), std::move(verdict));
}

// One finishing write in flight. If its batch fails it is submitted again: the step stays leased
// in the store meanwhile, so even a crash now leaves it in doubt, never lost.
struct FinishJob : std::enable_shared_from_this<FinishJob> {
  WritebackEngine::Impl* impl = nullptr;
  Lane* lane = nullptr;
  Work* work = nullptr;
  store::FinishStep finish;
  Verdict verdict;
  int failures = 0;

  void submit() {
    auto self = shared_from_this();
    const bool queued = impl->d.store.record(
        finish, [self](store::EngineWriteResult&& result) { self->committed(std::move(result)); });
    if (!queued) {
      // The store is stopping: the step stays leased there and is settled at the next start.
      std::lock_guard lock(impl->m);
      --impl->store_writes_in_flight;
      impl->idle_cv.notify_all();
    }
  }

  void committed(store::EngineWriteResult&& result) {
    if (!result.ok) {
      ++failures;
      std::this_thread::sleep_for(milliseconds(std::min(1000, 20 * failures)));
      submit();
      return;
    }
    std::lock_guard lock(impl->m);
    --impl->store_writes_in_flight;
    impl->on_finish_committed(*lane, work, finish, verdict);
    impl->idle_cv.notify_all();
  }
};

void WritebackEngine::Impl::submit_finish(Lane& lane, Work* w, store::FinishStep finish,
                                          Verdict verdict) {
  auto job = std::make_shared<FinishJob>();
  job->impl = this;
  job->lane = &lane;
  job->work = w;
  job->finish = std::move(finish);
  job->verdict = std::move(verdict);
  {
    std::lock_guard lock(m);
    --lane.running;
    ++lane.finishing;
    ++store_writes_in_flight;
    pump_locked(lane);
  }
  job->submit();
}

void WritebackEngine::Impl::record_terminal_locked(Lane& lane, bool applied) {
  lane.window.push_back(applied);
  if (applied) ++lane.window_applied;
  if (lane.window.size() > options.success_window) {
    if (lane.window.front()) --lane.window_applied;
    lane.window.pop_front();
  }
  steps_finished->labels({lane.name, applied ? "applied" : "failed"}).inc();
}

void WritebackEngine::Impl::on_finish_committed(Lane& lane, Work* w,
                                                const store::FinishStep& finish,
                                                const Verdict& verdict) {
  w->in_doubt = verdict.kind == Verdict::Kind::kRetry && verdict.still_in_doubt;
  if (!w->in_doubt) w->probe_rounds = 0;
  --lane.finishing;
  if (verdict.kind != Verdict::Kind::kApplied && !finish.released) {
    lane.last_error = verdict.detail.empty() ? finish.classification : verdict.detail;
    lane.last_error_at_ms = finish.at_ms;
  }
  switch (verdict.kind) {
    case Verdict::Kind::kApplied: {
      lane.oldest.finish(w->lane_ticket);
      ++lane.applied;
      if (verdict.duplicate) {
        ++lane.duplicates;
        duplicates->labels({lane.name}).inc();
      }
      record_terminal_locked(lane, true);
      if (w->step + 1u < w->route->steps.size()) {
        if (!w->references) {
          w->references =
              std::make_unique<std::vector<std::optional<std::string>>>(w->route->steps.size());
        }
        (*w->references)[w->step] = finish.system_reference;
        ++w->step;
        w->budget_attempts = 0;
        w->attempt_no = 0;
        w->first_attempt_ms = 0;
        w->key_generation = 0;
        activate_locked(w);
      } else {
        finish_outcome_locked(w, "applied", std::nullopt, finish.system_reference);
      }
      return;
    }
    case Verdict::Kind::kRetry:
      if (!finish.released) {
        ++lane.retries;
        retries->labels({lane.name}).inc();
      }
      ++lane.waiting;
      arm_timer_locked(*finish.next_attempt_at_ms, TimerEntry{w, kNoLane});
      return;
    case Verdict::Kind::kFailed:
      lane.oldest.finish(w->lane_ticket);
      ++lane.failed;
      record_terminal_locked(lane, false);
      exceptions->labels({lane.name, store::to_string(verdict.cause)}).inc();
      finish_outcome_locked(w, "failed",
                            finish.exception ? std::optional(finish.exception->id) : std::nullopt,
                            std::nullopt);
      return;
  }
}

void WritebackEngine::Impl::finish_outcome_locked(
    Work* w, const std::string& status, const std::optional<std::string>& exception_id,
    const std::optional<std::string>& last_reference) {
  --unfinished;
  oldest.finish(w->global_ticket);
  auto it = subjects.find(w->subject_key);
  Work* next = nullptr;
  if (it != subjects.end()) {
    SubjectQueue& q = it->second;
    if (q.head == w) {
      next = w->next_in_subject;
      q.head = next;
      if (next == nullptr) {
        subjects.erase(it);
      }
    }
  }
  if (w->payload) {
    const Payload& p = *w->payload;
    if (d.on_result) {
      OutcomeResultEvent event;
      event.outcome_id = p.id;
      event.type = p.type;
      event.subject = p.subject;
      event.status = status;
      event.trigger_id = p.trigger_id;
      event.exception_id = exception_id;
      event.at_ms = now_ms();
      for (size_t i = 0; i < w->route->steps.size(); ++i) {
        OutcomeResultStep step;
        step.index = static_cast<int64_t>(i);
        step.adapter = lanes[w->route->steps[i].lane]->name;
        step.status = i < w->step || (i == w->step && status == "applied") ? "applied"
                      : i == w->step                                       ? "failed"
                                                                           : "pending";
        if (i == w->step) {
          step.system_reference = last_reference;
        } else if (w->references && i < w->references->size()) {
          step.system_reference = (*w->references)[i];
        }
        event.steps.push_back(std::move(step));
      }
      d.on_result(event);
    }
    payload_bytes -= std::min(payload_bytes, p.bytes());
  }
  delete w;
  if (next != nullptr) activate_locked(next);
  idle_cv.notify_all();
}

void WritebackEngine::Impl::run_timers() {
  std::unique_lock lock(m);
  while (!stopping) {
    if (timers.empty()) {
      timer_cv.wait(lock, [&] { return stopping || !timers.empty(); });
      continue;
    }
    const int64_t now = now_ms();
    const int64_t due = timers.begin()->first;
    if (due > now) {
      // Bounded waits: an injected clock moves without notifying anyone.
      timer_cv.wait_for(lock, milliseconds(std::min<int64_t>(due - now, 50)));
      continue;
    }
    const TimerEntry entry = timers.begin()->second;
    timers.erase(timers.begin());
    if (entry.work != nullptr) {
      Work* w = entry.work;
      Lane& lane = *lanes[w->route->steps[w->step].lane];
      --lane.waiting;
      make_ready_locked(lane, w);
    } else if (entry.lane != kNoLane) {
      Lane& lane = *lanes[entry.lane];
      lane.pump_timer_armed = false;
      pump_locked(lane);
    }
  }
}

void WritebackEngine::Impl::run_health(Lane& lane) {
  std::unique_lock lock(m);
  while (!stopping) {
    lock.unlock();
    const int64_t deadline = now_ms() + lane.policy.health_timeout.count();
    sdk::HealthResult result = lane.adapter->health(deadline);
    lock.lock();
    lane.health = std::move(result);
    lane.health_at_ms = now_ms();
    health_cv.wait_for(lock, lane.policy.health_interval, [&] { return stopping; });
  }
}

AdapterStatus WritebackEngine::Impl::status_locked(const Lane& lane) const {
  AdapterStatus s;
  s.name = lane.name;
  s.plugin = lane.adapter ? lane.adapter->plugin().name() : std::string();
  s.health_state = std::string(sdk::to_string(lane.health.state));
  s.health_detail = lane.health.detail;
  s.health_checked_at_ms = lane.health_at_ms;
  const BreakerState breaker = lane.breaker->state();
  s.breaker_state = std::string(to_string(breaker));
  if (breaker == BreakerState::kOpen) s.breaker_reopens_at_ms = to_ms(lane.breaker->reopens_at());
  s.in_flight = lane.claiming + lane.claimed.size() + lane.running + lane.finishing;
  s.queue_depth = lane.ready.size() + lane.waiting + s.in_flight;
  if (auto oldest_ms = lane.oldest.oldest_ms()) {
    s.oldest_pending_age_seconds =
        static_cast<double>(std::max<int64_t>(0, now_ms() - *oldest_ms)) / 1000.0;
  }
  if (!lane.window.empty()) {
    s.success_ratio =
        static_cast<double>(lane.window_applied) / static_cast<double>(lane.window.size());
  }
  s.last_error = lane.last_error;
  s.last_error_at_ms = lane.last_error_at_ms;
  s.applied = lane.applied;
  s.failed = lane.failed;
  s.retries = lane.retries;
  s.duplicates = lane.duplicates;

  // The verdict operators page on: the worst of the adapter's own health, the breaker, and how
  // its recent writebacks went (the 98 % line of DESIGN's "writeback success rate").
  int level = 0;  // 0 healthy, 1 degraded, 2 unhealthy
  auto worse = [&](int l, std::string why) {
    level = std::max(level, l);
    s.reasons.push_back(std::move(why));
  };
  if (lane.adapter == nullptr) worse(2, "adapter is not configured; its stored steps fail");
  if (lane.health.state == sdk::HealthState::kUnhealthy) {
    worse(2, "health check: " + lane.health.detail);
  } else if (lane.health.state == sdk::HealthState::kDegraded) {
    worse(1, "health check: " + lane.health.detail);
  }
  if (breaker == BreakerState::kOpen) worse(2, "circuit breaker open");
  if (breaker == BreakerState::kHalfOpen) worse(1, "circuit breaker half-open");
  if (s.success_ratio && *s.success_ratio < 0.98 && lane.window.size() >= 20) {
    worse(*s.success_ratio < 0.5 ? 2 : 1, "recent success ratio below 98 %");
  }
  s.state = level == 0 ? "healthy" : level == 1 ? "degraded" : "unhealthy";
  return s;
}

WritebackEngine::WritebackEngine(Dependencies deps, EngineOptions options)
    : impl_(std::make_unique<Impl>(std::move(deps), options)) {
  auto& im = *impl_;
  im.lease_owner = "coregate-" + std::to_string(::getpid()) + "-" + std::to_string(im.now_ms());
  for (const auto& entry : im.d.adapters.entries()) {
    auto lane = std::make_unique<Lane>();
    lane->name = entry.name;
    lane->adapter = entry.instance.get();
    lane->plugin = entry.instance->plugin().name();
    lane->policy = AdapterPolicy::from_config(entry.block);
    lane->breaker = std::make_unique<CircuitBreaker>(lane->policy.breaker, im.d.clock);
    im.lanes.push_back(std::move(lane));
    im.lane_by_name.emplace(entry.name, im.lanes.size() - 1);
  }
  auto& r = im.d.metrics;
  im.accepted = &r.counter("coregate_outcomes_accepted_total",
                           "Outcomes accepted (committed) by intake, by outcome type.", {"type"});
  im.attempts = &r.counter("coregate_writeback_attempts_total",
                           "Writeback attempts by adapter and result class.", {"adapter", "class"});
  im.latency = &r.histogram("coregate_writeback_duration_seconds",
                            "Time an adapter's write call took.", {"adapter"});
  im.retries = &r.counter("coregate_writeback_retries_total",
                          "Steps scheduled for another attempt, by adapter.", {"adapter"});
  im.duplicates =
      &r.counter("coregate_writeback_duplicates_total",
                 "Writes the target reported as already applied (ALREADY_APPLIED).", {"adapter"});
  im.exceptions =
      &r.counter("coregate_exceptions_total",
                 "Steps moved to the exception queue, by adapter and cause.", {"adapter", "cause"});
  im.steps_finished =
      &r.counter("coregate_steps_finished_total",
                 "Steps that reached a final state, by adapter and result.", {"adapter", "result"});
  im.breaker_state =
      &r.gauge("coregate_breaker_state",
               "Circuit breaker per adapter: 0 closed, 1 half-open, 2 open.", {"adapter"});
  im.queue_depth = &r.gauge("coregate_queue_depth",
                            "Steps waiting for an adapter (ready, retry timers, claimed, running).",
                            {"adapter"});
  im.in_flight =
      &r.gauge("coregate_in_flight", "Steps claimed or being written, by adapter.", {"adapter"});
  im.oldest_age = &r.gauge("coregate_oldest_pending_age_seconds",
                           "Age of the oldest step waiting for an adapter.", {"adapter"});
  im.success_ratio =
      &r.gauge("coregate_writeback_success_ratio",
               "Applied share of the adapter's recent final step results.", {"adapter"});
  im.unfinished_gauge =
      &r.gauge("coregate_unfinished_outcomes", "Outcomes accepted and not yet applied or failed.");
}

WritebackEngine::~WritebackEngine() {
  stop();
}

void WritebackEngine::start() {
  auto& im = *impl_;
  // Recovery first, before any new acceptance can interleave: the store's listener is set by the
  // caller after start(), and the scan sees everything committed before.
  std::vector<std::unique_ptr<Work>> recovered;
  im.d.store.scan_unfinished([&](store::UnfinishedOutcome&& o) {
    std::lock_guard lock(im.m);
    if (auto w = im.work_from_unfinished(std::move(o))) recovered.push_back(std::move(w));
  });
  {
    std::lock_guard lock(im.m);
    im.started = true;
    for (auto& w : recovered) {
      Work* raw = w.release();
      im.enqueue_locked(raw);
    }
  }
  for (auto& lane : im.lanes) {
    for (uint32_t i = 0; i < lane->policy.concurrency; ++i) {
      lane->workers.emplace_back([&im, l = lane.get()] { im.run_worker(*l); });
    }
    if (lane->adapter != nullptr && lane->adapter->can(CG_CAP_HEALTH)) {
      lane->health_thread = std::thread([&im, l = lane.get()] { im.run_health(*l); });
    }
  }
  im.timer_thread = std::thread([&im] { im.run_timers(); });
}

void WritebackEngine::stop() {
  auto& im = *impl_;
  {
    std::lock_guard lock(im.m);
    if (im.stopped) return;
    im.stopped = true;
    im.stopping = true;
  }
  for (auto& lane : im.lanes) lane->work_cv.notify_all();
  im.timer_cv.notify_all();
  im.health_cv.notify_all();
  for (auto& lane : im.lanes) {
    for (auto& worker : lane->workers) {
      if (worker.joinable()) worker.join();
    }
    if (lane->health_thread.joinable()) lane->health_thread.join();
  }
  if (im.timer_thread.joinable()) im.timer_thread.join();
  // Wait for the claims and finishes already queued, then give back the leases of steps that were
  // claimed but never sent, so a graceful stop leaves nothing in doubt (a SIGKILL does, and the
  // next start settles it).
  std::unique_lock lock(im.m);
  im.idle_cv.wait_for(lock, std::chrono::seconds(30),
                      [&] { return im.store_writes_in_flight == 0; });
  const int64_t now = im.now_ms();
  for (auto& lane : im.lanes) {
    for (Work* w : lane->claimed) {
      if (w->in_doubt) continue;  // leased by an earlier run: still to be settled
      ++im.store_writes_in_flight;
      const bool queued = im.d.store.record(
          released_step(w->seq, w->step, w->attempt_no, now, "gateway stopping; not sent"),
          [&im](store::EngineWriteResult&&) {
            std::lock_guard inner(im.m);
            --im.store_writes_in_flight;
            im.idle_cv.notify_all();
          });
      if (!queued) --im.store_writes_in_flight;
    }
    lane->claimed.clear();
  }
  im.idle_cv.wait_for(lock, std::chrono::seconds(30),
                      [&] { return im.store_writes_in_flight == 0; });
  // Free what is left; it is all durable in the store.
  std::vector<Work*> all;
  for (auto& [key, q] : im.subjects) {
    for (Work* w = q.head; w != nullptr; w = w->next_in_subject) all.push_back(w);
  }
  im.subjects.clear();
  for (Work* w : all) delete w;
}

std::optional<std::vector<store::NewStep>> WritebackEngine::steps_for(std::string_view type) const {
  const auto& plans = impl_->d.plans;
  if (!plans.configured()) return std::vector<store::NewStep>{};
  const Plan* plan = plans.resolve(type);
  if (plan == nullptr) return std::nullopt;
  std::vector<store::NewStep> steps;
  steps.reserve(plan->steps.size());
  for (const auto& s : plan->steps) steps.push_back(store::NewStep{s.adapter, s.mapping});
  return steps;
}

bool WritebackEngine::plans_configured() const {
  return impl_->d.plans.configured();
}

void WritebackEngine::on_accepted(int64_t seq, store::NewOutcome&& outcome) {
  auto& im = *impl_;
  im.accepted->labels({outcome.type}).inc();
  if (outcome.steps.empty()) return;  // no plans configured: stored, not written back
  auto w = std::make_unique<Work>();
  w->seq = seq;
  w->subject_key = subject_key_of(outcome.subject);
  w->created_ms = im.now_ms();
  auto payload = std::make_unique<Payload>();
  payload->id = std::move(outcome.id);
  payload->type = std::move(outcome.type);
  payload->subject = std::move(outcome.subject);
  payload->trigger_id = std::move(outcome.trigger_id);
  payload->body = std::move(outcome.body_json);
  std::vector<store::PendingStep> steps;
  for (auto& s : outcome.steps) {
    store::PendingStep step;
    step.adapter = std::move(s.adapter);
    step.mapping = std::move(s.mapping);
    steps.push_back(std::move(step));
  }
  std::lock_guard lock(im.m);
  if (im.stopping) return;  // durable in the store; the next start picks it up
  w->route = im.route_for_steps(steps, payload->type);
  if (im.payload_bytes + payload->bytes() <= im.options.payload_budget_bytes) {
    im.payload_bytes += payload->bytes();
    w->payload = std::move(payload);
  }
  im.enqueue_locked(w.release());
}

void WritebackEngine::requeue(int64_t outcome_seq) {
  auto& im = *impl_;
  std::optional<store::UnfinishedOutcome> outcome = im.d.store.load_unfinished(outcome_seq);
  if (!outcome) return;
  std::lock_guard lock(im.m);
  if (im.stopping) return;
  if (auto w = im.work_from_unfinished(std::move(*outcome))) {
    w->created_ms = im.now_ms();
    im.enqueue_locked(w.release());
  }
}

std::vector<AdapterStatus> WritebackEngine::adapter_statuses() const {
  std::lock_guard lock(impl_->m);
  std::vector<AdapterStatus> out;
  for (const auto& lane : impl_->lanes) out.push_back(impl_->status_locked(*lane));
  return out;
}

std::optional<AdapterStatus> WritebackEngine::adapter_status(std::string_view name) const {
  std::lock_guard lock(impl_->m);
  auto it = impl_->lane_by_name.find(name);
  if (it == impl_->lane_by_name.end()) return std::nullopt;
  return impl_->status_locked(*impl_->lanes[it->second]);
}

void WritebackEngine::collect_metrics() {
  auto& im = *impl_;
  std::lock_guard lock(im.m);
  for (const auto& lane : im.lanes) {
    const AdapterStatus s = im.status_locked(*lane);
    const double breaker = s.breaker_state == "open" ? 2 : s.breaker_state == "half_open" ? 1 : 0;
    im.breaker_state->labels({lane->name}).set(breaker);
    im.queue_depth->labels({lane->name}).set(static_cast<double>(s.queue_depth));
    im.in_flight->labels({lane->name}).set(static_cast<double>(s.in_flight));
    im.oldest_age->labels({lane->name}).set(s.oldest_pending_age_seconds);
    if (s.success_ratio) im.success_ratio->labels({lane->name}).set(*s.success_ratio);
  }
  im.unfinished_gauge->labels({}).set(static_cast<double>(im.unfinished));
}

size_t WritebackEngine::unfinished() const {
  std::lock_guard lock(impl_->m);
  return impl_->unfinished;
}

bool WritebackEngine::wait_idle(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->m);
  return impl_->idle_cv.wait_for(
      lock, timeout, [&] { return impl_->unfinished == 0 && impl_->store_writes_in_flight == 0; });
}

}  // namespace coregate::engine
