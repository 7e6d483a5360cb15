#include "gateway/server/trigger_wiring.h"

namespace coregate::server {
namespace {

// Until the trigger side lands: nothing to start, always ready, outcome results dropped.
class NoTriggers final : public TriggerSubsystem {
 public:
  void start() override {}
  void stop() override {}
  std::string health() const override { return ""; }
  void publish_outcome_result(const engine::OutcomeResultEvent&) override {}
};

}  // namespace

std::unique_ptr<TriggerSubsystem> make_trigger_subsystem(const TriggerWiringContext&) {
  return std::make_unique<NoTriggers>();
}

}  // namespace coregate::server
