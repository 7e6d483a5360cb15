// JSON Schema (2020-12) of the testing adapter's config block, published in the plugin
// descriptor so the gateway validates the block before create. A control document (control_file
// or an inbound {"control": ...}) uses the runtime subset: latency_ms, jitter_ms, health,
// health_detail, faults.
#pragma once

namespace coregate::plugins::testing {

inline constexpr char kTestingConfigSchema[] = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://coregate.dev/schemas/plugins/testing.json",
  "title": "testing adapter",
  "description": "An in-memory (optionally file-backed) system of record with fault injection, for tests and benchmarks.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "seed": {"type": "integer", "minimum": 0, "default": 0,
      "description": "Seed of every random decision (fault draws, jitter, the ambiguous coin). A draw depends only on the seed, the idempotency key and the attempt, so fault patterns repeat across runs and restarts."},
    "journal": {"type": "string", "minLength": 1,
      "description": "Path of a JSON-lines file that records every applied write (fsync'd before the write is answered) and is reloaded at create. Relative paths are relative to the gateway's working directory. Absent: memory only."},
    "journal_fsync": {"type": "boolean", "default": true,
      "description": "fdatasync each journal line (group commit) before answering. Turn off only for benchmarks that do not test durability."},
    "control_file": {"type": "string", "minLength": 1,
      "description": "Path of a JSON file with runtime overrides (latency_ms, jitter_ms, health, health_detail, faults), re-read whenever it changes. Replace it atomically (write, then rename). A missing file means no overrides."},
    "reference_prefix": {"type": "string",
      "description": "Prefix of the references the adapter hands out (<prefix><seq>). Default: the instance name and a dash."},
    "keep_records": {"type": "boolean", "default": true,
      "description": "Keep every applied record in memory so an inbound {\"records\": ...} request can list them. Turn off for long benchmarks."},
    "inbound_control": {"type": "boolean", "default": true,
      "description": "Accept inbound requests {\"control\": {...}}, {\"records\": true | {\"subject\": S}} and {\"stats\": true}."},
    "latency_ms": {"$ref": "#/$defs/delay",
      "description": "Fixed delay before each write and probe answers."},
    "jitter_ms": {"$ref": "#/$defs/delay",
      "description": "Extra seeded random delay, uniform in [0, jitter_ms], added to latency_ms."},
    "health": {"enum": ["healthy", "degraded", "unhealthy"], "default": "healthy",
      "description": "What the health hook reports."},
    "health_detail": {"type": "string",
      "description": "The health hook's detail text (default: a summary of the store)."},
    "faults": {"$ref": "#/$defs/faults",
      "description": "Fault injection: per-hook rates and targeted rules."}
  },
  "$defs": {
    "delay": {"type": "integer", "minimum": 0, "maximum": 600000, "default": 0},
    "rate": {"type": "number", "minimum": 0, "maximum": 1},
    "faults": {
      "description": "Fault injection. Rules are checked first (first match wins); otherwise a seeded draw against the rates of the hook picks at most one fault.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "write": {
          "description": "Probability of each write fault; they must add up to at most 1.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "already_applied": {"$ref": "#/$defs/rate", "description": "Record the write if new and answer ALREADY_APPLIED."},
            "retryable": {"$ref": "#/$defs/rate", "description": "Not applied; answer RETRYABLE."},
            "rejected": {"$ref": "#/$defs/rate", "description": "Not applied; answer REJECTED."},
            "ambiguous_applied": {"$ref": "#/$defs/rate", "description": "Applied and journaled, but answer AMBIGUOUS (the answer was lost)."},
            "ambiguous_not_applied": {"$ref": "#/$defs/rate", "description": "Not applied; answer AMBIGUOUS (the request was lost)."},
            "ambiguous": {"$ref": "#/$defs/rate", "description": "Answer AMBIGUOUS; a seeded coin per key and attempt decides whether it was applied."},
            "hang": {"$ref": "#/$defs/rate", "description": "Not applied; sleep past the deadline (or hang_ms), then answer AMBIGUOUS."},
            "hang_applied": {"$ref": "#/$defs/rate", "description": "Applied; sleep past the deadline (or hang_ms), then answer AMBIGUOUS."},
            "throw": {"$ref": "#/$defs/rate", "description": "Throw an exception from the write hook (the SDK barrier reports it as an error)."}
          }
        },
        "probe": {
          "description": "Probability of each probe fault.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "unknown": {"$ref": "#/$defs/rate", "description": "Answer UNKNOWN."},
            "hang": {"$ref": "#/$defs/rate", "description": "Sleep past the deadline, then answer UNKNOWN."},
            "throw": {"$ref": "#/$defs/rate", "description": "Throw from the probe hook."}
          }
        },
        "health": {
          "description": "Probability of each health-check fault.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "hang": {"$ref": "#/$defs/rate", "description": "Sleep hang_ms (default 30 s) before answering."},
            "throw": {"$ref": "#/$defs/rate", "description": "Throw from the health hook."}
          }
        },
        "rules": {
          "description": "Faults for particular requests; every match field present must match.",
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["fault"],
            "properties": {
              "hook": {"enum": ["write", "probe", "health"], "default": "write", "description": "The hook the rule applies to."},
              "key": {"type": "string", "description": "Exact idempotency key."},
              "key_prefix": {"type": "string", "description": "Idempotency key prefix."},
              "subject": {"type": "string", "description": "Exact subject (write only)."},
              "subject_prefix": {"type": "string", "description": "Subject prefix (write only)."},
              "outcome_type": {"type": "string", "description": "Exact outcome type (write only)."},
              "fault": {"enum": ["none", "already_applied", "retryable", "rejected", "ambiguous_applied", "ambiguous_not_applied", "ambiguous", "hang", "hang_applied", "throw", "unknown"],
                "description": "What to do; must be one of the hook's faults. \"none\" behaves normally (exempts the matches from rates)."},
              "times": {"type": "integer", "minimum": 1, "description": "Hit only the first N matching calls of each key (each health check for health), then let later calls through. Absent: always."},
              "diagnostic": {"type": "string", "description": "Diagnostic text of the injected answer or exception."},
              "retry_after_ms": {"$ref": "#/$defs/delay", "description": "Retry-after hint of an injected RETRYABLE (overrides faults.retry_after_ms)."}
            }
          }
        },
        "retry_after_ms": {"$ref": "#/$defs/delay", "description": "Retry-after hint attached to injected RETRYABLE answers."},
        "hang_ms": {"$ref": "#/$defs/delay", "description": "How long a hang sleeps. 0: until the request's deadline plus one second (health: 30 s)."}
      }
    }
  }
})json";

}  // namespace coregate::plugins::testing
