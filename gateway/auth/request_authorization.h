// The one check every /v1 handler runs first: who is calling (bearer token) and may they do this
// (scope). Answers 401 (with WWW-Authenticate) or 403 (naming the missing scope) itself, as an
// RFC 9457 problem, so every endpoint refuses in the same words.
#pragma once

#include "gateway/auth/principal.h"
#include "gateway/auth/token_authenticator.h"
#include "gateway/http/http_types.h"
#include "gateway/http/responder.h"

namespace coregate::auth {

// Returns the caller, or nullptr after answering through `responder`. The principal is owned by
// `authenticator` and valid while it lives. Thread-safe.
const Principal* authorize_request(const TokenAuthenticator& authenticator,
                                   const http::Request& message, Scope scope,
                                   const http::Responder& responder);

}  // namespace coregate::auth
