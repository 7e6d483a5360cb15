// A blocking HTTP/1.1 GET on a fresh loopback connection, for benchmarks that poll a gateway's
// status endpoints (/v1/adapters/{name}, /metrics) between load phases or beside a load.
// Thread-safety: stateless; safe from any thread. Errors: status 0 and the error text as body
// when the connection or the exchange fails (never throws).
#pragma once

#include <cstdint>
#include <string>

namespace coregate::bench {

struct HttpAnswer {
  int status = 0;  // 0: no answer (see body)
  std::string body;
};

[[nodiscard]] HttpAnswer http_get(const std::string& host, uint16_t port, const std::string& target,
                                  const std::string& bearer_token);

}  // namespace coregate::bench
