// The class an adapter author implements. One instance per configured adapter.
//
// Construction: `YourAdapter(const AdapterConfig&, Host)`; throw ConfigError (or any exception) to
// refuse a bad config: the SDK turns it into a create failure carrying the message.
// Threading: write, probe and health may run concurrently from several threads (up to the adapter's
// configured concurrency); poll never runs concurrently with itself. Make them thread-safe.
// Exceptions: any exception escaping a hook becomes an error result carrying its message (the SDK
// barrier), but classify failures yourself: only you know whether a timeout came before or after
// the target could have applied the write.
#pragma once

#include "coregate/sdk/requests.h"
#include "coregate/sdk/results.h"

namespace coregate::sdk {

class Adapter {
 public:
  virtual ~Adapter() = default;

  // CG_CAP_WRITE: apply one mapped outcome step, carrying request.idempotency_key to the target
  // where it can dedup by it.
  virtual WriteResult write(const WriteRequest& request) {
    (void)request;
    return WriteResult::rejected("this adapter does not write");
  }

  // CG_CAP_PROBE: did the write with this key land?
  virtual ProbeResult probe(const ProbeRequest& request) {
    (void)request;
    return ProbeResult::unknown("this adapter cannot probe");
  }

  // CG_CAP_POLL: new raw records since the cursor.
  virtual PollResult poll(const PollRequest& request) {
    (void)request;
    return {{}, std::string(request.cursor)};
  }

  // CG_CAP_INBOUND: a pushed request routed to this adapter.
  virtual InboundReply inbound(const InboundRequest& request) {
    (void)request;
    return {{}, 404, {}, "this adapter accepts no inbound requests"};
  }

  // CG_CAP_HEALTH: a cheap active check, answered by request.deadline.
  virtual HealthResult health(const HealthRequest& request) {
    (void)request;
    return {HealthState::kHealthy, "no active check"};
  }
};

}  // namespace coregate::sdk
