#include "gateway/engine/adapter_policy.h"

namespace coregate::engine {

AdapterPolicy AdapterPolicy::from_config(const config::ConfigNode& block) {
  AdapterPolicy p;
  p.concurrency = static_cast<uint32_t>(block.integer_or("concurrency", p.concurrency, 1, 1024));
  p.timeout = block.duration_or("timeout", p.timeout);
  if (p.timeout.count() <= 0) block.fail("timeout", "must be greater than 0");
  p.retry = RetryPolicy::from_config(block);
  p.breaker = BreakerPolicy::from_config(block);
  p.dedups_by_key = block.boolean_or("dedups_by_key", false);
  const std::string on_ambiguous =
      block.string_or("on_ambiguous", p.dedups_by_key ? "retry" : "exception");
  if (on_ambiguous == "retry") {
    if (!p.dedups_by_key) {
      block.fail("on_ambiguous",
                 "\"retry\" is only safe when the target dedups by key; set \"dedups_by_key\": "
                 "true if it does, else use \"exception\"");
    }
    p.on_ambiguous = OnAmbiguous::kRetry;
  } else if (on_ambiguous == "exception") {
    p.on_ambiguous = OnAmbiguous::kException;
  } else {
    block.fail("on_ambiguous",
               "unknown policy '" + on_ambiguous + "' (expected \"retry\" or \"exception\")");
  }
  p.health_interval = block.duration_or("health_interval", p.health_interval);
  p.health_timeout = block.duration_or("health_timeout", p.health_timeout);
  if (p.health_interval.count() <= 0) block.fail("health_interval", "must be greater than 0");
  if (p.health_timeout.count() <= 0) block.fail("health_timeout", "must be greater than 0");
  return p;
}

}  // namespace coregate::engine
