// Result types an adapter returns from its hooks. Plain values: copyable, no hidden state.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "coregate/plugin_abi.h"

namespace coregate::sdk {

// The five classes of DESIGN §3. Numeric values equal cg_type_write_class.
enum class WriteClass : int32_t {
  kApplied = CG_WRITE_APPLIED,
  kAlreadyApplied = CG_WRITE_ALREADY_APPLIED,
  kRetryable = CG_WRITE_RETRYABLE,
  kRejected = CG_WRITE_REJECTED,
  kAmbiguous = CG_WRITE_AMBIGUOUS,
};

// "applied", "already_applied", "retryable", "rejected", "ambiguous" (metric and API labels).
constexpr std::string_view to_string(WriteClass c) {
  switch (c) {
    case WriteClass::kApplied:
      return "applied";
    case WriteClass::kAlreadyApplied:
      return "already_applied";
    case WriteClass::kRetryable:
      return "retryable";
    case WriteClass::kRejected:
      return "rejected";
    case WriteClass::kAmbiguous:
      return "ambiguous";
  }
  return "ambiguous";
}

// What one write attempt did. `diagnostic` carries the system's own words (SQLSTATE and message,
// HTTP status and body, SOAP fault, IMS codes) so an operator can act on an exception.
struct [[nodiscard]] WriteResult {
  WriteClass write_class = WriteClass::kAmbiguous;
  std::string reference;                     // the system's reference for an applied write
  std::string diagnostic;                    // the system's error or detail
  std::chrono::milliseconds retry_after{0};  // > 0 when the target asked us to wait

  static WriteResult applied(std::string reference) {
    return {WriteClass::kApplied, std::move(reference), {}, {}};
  }
  static WriteResult already_applied(std::string reference, std::string diagnostic = {}) {
    return {WriteClass::kAlreadyApplied, std::move(reference), std::move(diagnostic), {}};
  }
  static WriteResult retryable(std::string diagnostic,
                               std::chrono::milliseconds retry_after = std::chrono::milliseconds{
                                   0}) {
    return {WriteClass::kRetryable, {}, std::move(diagnostic), retry_after};
  }
  static WriteResult rejected(std::string diagnostic) {
    return {WriteClass::kRejected, {}, std::move(diagnostic), {}};
  }
  static WriteResult ambiguous(std::string diagnostic) {
    return {WriteClass::kAmbiguous, {}, std::move(diagnostic), {}};
  }
};

enum class ProbeState : int32_t {
  kUnknown = CG_PROBE_UNKNOWN,
  kApplied = CG_PROBE_APPLIED,
  kNotFound = CG_PROBE_NOT_FOUND,
};

constexpr std::string_view to_string(ProbeState s) {
  switch (s) {
    case ProbeState::kApplied:
      return "applied";
    case ProbeState::kNotFound:
      return "not_found";
    case ProbeState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

struct [[nodiscard]] ProbeResult {
  ProbeState state = ProbeState::kUnknown;
  std::string reference;
  std::string diagnostic;

  static ProbeResult applied(std::string reference) {
    return {ProbeState::kApplied, std::move(reference), {}};
  }
  static ProbeResult not_found() { return {ProbeState::kNotFound, {}, {}}; }
  static ProbeResult unknown(std::string diagnostic) {
    return {ProbeState::kUnknown, {}, std::move(diagnostic)};
  }
};

enum class HealthState : int32_t {
  kHealthy = CG_HEALTH_HEALTHY,
  kDegraded = CG_HEALTH_DEGRADED,
  kUnhealthy = CG_HEALTH_UNHEALTHY,
};

constexpr std::string_view to_string(HealthState s) {
  switch (s) {
    case HealthState::kHealthy:
      return "healthy";
    case HealthState::kDegraded:
      return "degraded";
    case HealthState::kUnhealthy:
      return "unhealthy";
  }
  return "unhealthy";
}

struct [[nodiscard]] HealthResult {
  HealthState state = HealthState::kUnhealthy;
  std::string detail;
};

}  // namespace coregate::sdk
