// What the host hands an adapter's hooks, already parsed. Views are borrowed: valid only for the
// duration of the hook call; copy what you keep.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace coregate::sdk {

using Clock = std::chrono::system_clock;

struct WriteRequest {
  std::string_view idempotency_key;  // stable across attempts and restarts; unique per step
  std::string_view outcome_id;
  std::string_view outcome_type;
  std::string_view subject;
  const boost::json::object& record;  // the mapped system record
  uint32_t attempt = 1;               // 1 for the first attempt
  Clock::time_point deadline;         // finish (or give up) by then
};

struct ProbeRequest {
  std::string_view idempotency_key;
  std::string_view outcome_id;
  std::string_view outcome_type;
  std::string_view subject;
  const boost::json::object& record;  // what was written, for natural-key probes
  Clock::time_point deadline;
};

struct HealthRequest {
  Clock::time_point deadline;  // answer by then; a late answer counts as unhealthy
};

struct PollRequest {
  std::string_view source;  // configured source name
  std::string_view cursor;  // what the last successful poll returned; empty at first
  uint32_t max_records = 0;
  Clock::time_point deadline;
};

struct [[nodiscard]] PollResult {
  boost::json::array records;  // raw records, each a JSON object
  std::string next_cursor;     // committed by the host together with the records
};

struct InboundRequest {
  std::string_view method;
  std::string_view target;             // path and query after /v1/inbound/<adapter>
  const boost::json::object& headers;  // lower-case name -> string
  std::string_view body;
};

struct [[nodiscard]] InboundReply {
  boost::json::array records;   // raw records to ingest as triggers
  int status = 0;               // 0: host picks (200)
  boost::json::object headers;  // extra reply headers
  std::string body;
};

}  // namespace coregate::sdk
