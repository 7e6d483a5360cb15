// The fault the e2e tests inject into the gateway: SIGKILL at random moments while outcomes are
// posted and written back, each time starting it again on the same store.
//
// The moments are random points of the run's progress (not of wall time), so every kill lands
// while clients are still posting and the engine is writing, however fast this machine is.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "tests/e2e/e2e_gateway.h"

namespace coregate::testing::e2e {

struct CrashLoopOptions {
  int kills = 10;
  // Kill points are drawn uniformly in [first_at, last_at] of progress, sorted.
  double first_at = 0.03;
  double last_at = 0.97;
  // A restarted gateway lives at least this long (it may be killed while recovering).
  std::chrono::milliseconds min_uptime{80};
  uint32_t seed = 1;
  // Never wait for progress longer than this: the test must end even if the posters stall.
  std::chrono::milliseconds limit{std::chrono::minutes(2)};
};

// What to do around one kill (e.g. take the database down just before it, so the restarted gateway
// meets it down). Any may be empty; each gets the kill's number (1-based).
struct CrashHooks {
  std::function<void(int)> before_kill;    // while the gateway still runs
  std::function<void(int)> while_down;     // after the kill, before the restart
  std::function<void(int)> after_restart;  // right after the restart
};

struct CrashLoopFigures {
  int kills = 0;
  std::vector<double> at_progress;  // the progress at each kill
  std::vector<int64_t> uptimes_ms;  // how long each killed run lived
};

// Kills and restarts `gateway` (already started) `options.kills` times, kill k when `progress()`
// (0..1, e.g. the share of outcomes answered) has passed its k-th random point. Leaves the gateway
// running.
CrashLoopFigures run_crash_loop(E2eGateway& gateway, const CrashLoopOptions& options,
                                const std::function<double()>& progress,
                                const CrashHooks& hooks = {});

}  // namespace coregate::testing::e2e
