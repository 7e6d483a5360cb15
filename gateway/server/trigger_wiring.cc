#include "gateway/server/trigger_wiring.h"

#include "gateway/triggers/trigger_service.h"

namespace coregate::server {
namespace {

// The server's view of the trigger side: a thin forwarder, so gateway/server depends on the
// TriggerSubsystem seam only.
class TriggerSide final : public TriggerSubsystem {
 public:
  explicit TriggerSide(const triggers::TriggerServiceContext& context) : service_(context) {}
  void start() override { service_.start(); }
  void stop() override { service_.stop(); }
  std::string health() const override { return service_.health(); }
  void publish_outcome_result(const engine::OutcomeResultEvent& event) override {
    service_.publish_outcome_result(event);
  }

 private:
  triggers::TriggerService service_;
};

}  // namespace

std::unique_ptr<TriggerSubsystem> make_trigger_subsystem(const TriggerWiringContext& ctx) {
  return std::make_unique<TriggerSide>(
      triggers::TriggerServiceContext{ctx.root, ctx.adapters, ctx.mappings, ctx.authenticator,
                                      ctx.router, ctx.metrics, ctx.store_path, ctx.schemas});
}

}  // namespace coregate::server
