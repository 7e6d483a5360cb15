#include "gateway/http/responder.h"

#include <atomic>

#include "gateway/http/problem.h"

namespace coregate::http {

struct Responder::Slot {
  explicit Slot(Sink s) : sink(std::move(s)) {}
  ~Slot() {
    if (!sent.exchange(true)) {
      sink(problem_response(Status::internal_server_error, "internal-error",
                            "Internal Server Error", "The request was dropped without an answer."));
    }
  }
  Sink sink;
  std::atomic<bool> sent{false};
};

Responder::Responder(Sink sink) : slot_(std::make_shared<Slot>(std::move(sink))) {}

void Responder::send(Response response) const {
  if (slot_->sent.exchange(true)) return;
  slot_->sink(std::move(response));
}

bool Responder::answered() const {
  return slot_->sent.load();
}

}  // namespace coregate::http
