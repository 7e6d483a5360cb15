#include "tests/e2e/crash_loop.h"

#include <algorithm>
#include <random>
#include <thread>

namespace coregate::testing::e2e {

CrashLoopFigures run_crash_loop(E2eGateway& gateway, const CrashLoopOptions& options,
                                const std::function<double()>& progress, const CrashHooks& hooks) {
  using Clock = std::chrono::steady_clock;
  CrashLoopFigures figures;
  std::mt19937 random(options.seed);
  std::uniform_real_distribution<double> point(options.first_at, options.last_at);
  std::vector<double> kill_points(static_cast<size_t>(options.kills));
  for (auto& p : kill_points) p = point(random);
  std::sort(kill_points.begin(), kill_points.end());

  const auto give_up = Clock::now() + options.limit;
  for (const double kill_point : kill_points) {
    const auto up_since = Clock::now();
    while ((progress() < kill_point || Clock::now() - up_since < options.min_uptime) &&
           Clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (Clock::now() >= give_up) break;
    figures.at_progress.push_back(progress());
    if (hooks.before_kill) hooks.before_kill(figures.kills + 1);
    gateway.kill();
    ++figures.kills;
    figures.uptimes_ms.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - up_since).count());
    if (hooks.while_down) hooks.while_down(figures.kills);
    gateway.start();
    if (hooks.after_restart) hooks.after_restart(figures.kills);
  }
  return figures;
}

}  // namespace coregate::testing::e2e
