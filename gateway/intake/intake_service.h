// The outcome endpoints of DESIGN §6:
//   POST /v1/outcomes            accept an outcome under an Idempotency-Key (202 after the fsync)
//   GET  /v1/outcomes/{id}       one outcome with its steps and attempts
//   GET  /v1/outcomes?status=&type=&subject=&limit=&cursor=   cursor-paged listing
//
// Idempotency (draft-ietf-httpapi-idempotency-key-header), keys scoped to the calling principal:
//   new key                       -> validate, group-commit, 202 {id, status, links}
//   key committed, same body      -> the stored status and body again + Idempotent-Replayed: true
//   key committed, other body     -> 422
//   key still being committed     -> 409 (an in-memory set of keys between submit and fsync)
//   no key                        -> 400
// "Same body" means the same SHA-256 over the canonical JSON (canonical_json.h).
//
// Threading: handlers run on I/O threads and never touch the disk for POST: the answer is sent
// from the store's writer thread after the commit. GETs read through the store's reader pool.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "gateway/auth/token_authenticator.h"
#include "gateway/http/router.h"
#include "gateway/intake/intake_options.h"
#include "gateway/intake/outcome_validator.h"
#include "gateway/store/outcome_store.h"

namespace coregate::intake {

class IntakeService {
 public:
  // All references must outlive the service and every request it handles.
  IntakeService(IntakeOptions options, store::OutcomeStore& store,
                const OutcomeValidator& validator, const auth::TokenAuthenticator& authenticator);

  void add_routes(http::Router& router);

  // Which adapters an outcome type goes to (the engine's plans), stored with the outcome in the
  // same transaction. nullopt = no plan routes the type: answered 422, nothing stored. Unset:
  // every outcome is stored with no steps. Set before serving; not thread-safe to change later.
  using StepRouter = std::function<std::optional<std::vector<store::NewStep>>(std::string_view)>;
  void set_step_router(StepRouter router) { step_router_ = std::move(router); }
  // Told of every idempotent replay answered (the duplicates metric). Set before serving.
  void set_replay_observer(std::function<void()> observer) { on_replay_ = std::move(observer); }

  // Exposed for tests and the fuzzer: the whole POST path, answering through `responder`.
  void post_outcome(http::IncomingRequest&& request, http::Responder responder);
  void get_outcome(http::IncomingRequest&& request, http::Responder responder);
  void list_outcomes(http::IncomingRequest&& request, http::Responder responder);

  // Keys between submit and commit right now.
  size_t keys_in_flight() const;

 private:
  // Answers 401/403 itself and returns nullptr when the caller may not proceed.
  const auth::Principal* authorize(const http::Request& message, auth::Scope scope,
                                   const http::Responder& responder) const;
  void release_key(const std::string& scoped_key);

  IntakeOptions options_;
  store::OutcomeStore& store_;
  const OutcomeValidator& validator_;
  const auth::TokenAuthenticator& authenticator_;

  StepRouter step_router_;
  std::function<void()> on_replay_;

  mutable std::mutex in_flight_mutex_;
  std::unordered_set<std::string> in_flight_;  // principal '\n' key
};

}  // namespace coregate::intake
