// The exception queue over HTTP (DESIGN §6), scope exceptions:manage:
//   GET  /v1/exceptions?adapter=&cause=&type=&status=open|replayed|discarded&limit=&cursor=
//   GET  /v1/exceptions/{id}           payload, mapped request, every attempt, the resolution
//   POST /v1/exceptions/{id}/replay    {} or {"data": {...}} (corrected data, re-validated against
//                                      the outcome's schema; written under a fresh key generation)
//   POST /v1/exceptions/{id}/discard   {"reason": "..."} (required)
// Replay and discard are audited with the calling principal. Only an open exception can be
// resolved (409 otherwise). Handlers read through the store's reader pool and answer writes from
// the store's writer thread after the commit.
#pragma once

#include "gateway/auth/token_authenticator.h"
#include "gateway/engine/writeback_engine.h"
#include "gateway/http/router.h"
#include "gateway/intake/outcome_validator.h"
#include "gateway/store/outcome_store.h"

namespace coregate::engine {

class ExceptionApi {
 public:
  // All references must outlive the API and every request it handles.
  ExceptionApi(store::OutcomeStore& store, WritebackEngine& engine,
               const intake::OutcomeValidator& validator,
               const auth::TokenAuthenticator& authenticator, int max_page_size = 200);

  void add_routes(http::Router& router);

  void list(http::IncomingRequest&& request, http::Responder responder);
  void show(http::IncomingRequest&& request, http::Responder responder);
  void replay(http::IncomingRequest&& request, http::Responder responder);
  void discard(http::IncomingRequest&& request, http::Responder responder);

 private:
  void commit_resolution(store::ResolveException resolve, http::Responder responder);
  // The exception, or nullopt after answering 404 (unknown) or 503 (store unreadable).
  std::optional<store::ExceptionRecord> find_or_answer(const std::string& id,
                                                       const http::Responder& responder);

  store::OutcomeStore& store_;
  WritebackEngine& engine_;
  const intake::OutcomeValidator& validator_;
  const auth::TokenAuthenticator& authenticator_;
  int max_page_size_;
};

// GET /v1/adapters and /v1/adapters/{name} (scope outcomes:read): health, breaker, queue depth,
// in-flight, oldest pending age, success ratio, last error.
void add_adapter_routes(http::Router& router, const WritebackEngine& engine,
                        const auth::TokenAuthenticator& authenticator);

}  // namespace coregate::engine
