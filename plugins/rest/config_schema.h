// JSON Schema (2020-12) of the REST adapter's config block, published in the plugin descriptor so
// the gateway validates the block before create. docs/plugins/rest.md explains each key.
#pragma once

namespace coregate::plugins::rest {

inline constexpr char kRestConfigSchema[] = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://coregate.dev/schemas/plugins/rest.json",
  "title": "rest adapter",
  "description": "Authenticated, idempotent writeback to HTTP/JSON systems; probe by GET; polling with since/cursor and Link or next-cursor paging; signed inbound webhooks; health by GET.",
  "type": "object",
  "additionalProperties": false,
  "required": ["base_url"],
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "description": "Origin (and optional base path) of the target: https://crm.example.com/api"},
    "concurrency": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 8, "description": "Keep-alive sessions pooled; match the adapter's concurrency in the gateway."},
    "connect_timeout_ms": {"type": "integer", "minimum": 1, "default": 5000},
    "read_timeout_ms": {"type": "integer", "minimum": 1, "default": 30000},
    "keep_alive_idle_s": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 30},
    "max_response_bytes": {"type": "integer", "minimum": 1, "default": 1048576},
    "max_redirects": {"type": "integer", "minimum": 0, "maximum": 20, "default": 5},
    "idempotency_header": {"type": "string", "default": "Idempotency-Key", "description": "Header carrying the step's idempotency key; empty sends none."},
    "target_dedups_by_key": {"type": "boolean", "default": false, "description": "The target applies each idempotency key once: a 500 or a timeout after sending is then RETRYABLE instead of AMBIGUOUS."},
    "already_applied_statuses": {"$ref": "#/$defs/statuses", "default": [409]},
    "retryable_statuses": {"$ref": "#/$defs/statuses", "default": [408, 429, 502, 503, 504]},
    "headers": {"$ref": "#/$defs/templates", "description": "Headers sent with every request."},
    "auth": {"type": "object", "additionalProperties": false, "required": ["provider"],
      "properties": {
        "provider": {"type": "string", "description": "A provider of the gateway's \"credentials\" section."},
        "header": {"type": "string", "default": "Authorization"}}},
    "signing": {"type": "object", "additionalProperties": false, "required": ["secret"],
      "properties": {
        "secret": {"type": "string"},
        "algorithm": {"enum": ["sha1", "sha256", "sha512"], "default": "sha256"},
        "encoding": {"enum": ["hex", "base64"], "default": "hex"},
        "canonical": {"type": "string", "default": "{method}\n{path}\n{timestamp}\n{body_sha256}"},
        "signature_header": {"type": "string", "default": "X-Signature"},
        "prefix": {"type": "string"},
        "timestamp_header": {"type": "string", "default": "X-Timestamp"}}},
    "tls": {"type": "object", "additionalProperties": false,
      "properties": {
        "verify": {"type": "boolean", "default": true},
        "ca_file": {"type": "string"},
        "cert_file": {"type": "string"},
        "key_file": {"type": "string"},
        "min_version": {"enum": ["1.2", "1.3"], "default": "1.2"}}},
    "proxy": {"type": "object", "additionalProperties": false, "required": ["url"],
      "properties": {"url": {"type": "string"}, "username": {"type": "string"}, "password": {"type": "string"}}},
    "operations": {"type": "object", "minProperties": 1, "additionalProperties": {"$ref": "#/$defs/operation"}},
    "health": {"type": "object", "additionalProperties": false,
      "properties": {"path": {"type": "string", "default": "/"}, "healthy_statuses": {"$ref": "#/$defs/statuses"}}},
    "webhook": {"type": "object", "additionalProperties": false,
      "properties": {
        "records_pointer": {"type": "string"},
        "signature": {"type": "object", "additionalProperties": false, "required": ["header", "secret"],
          "properties": {
            "header": {"type": "string"},
            "secret": {"type": "string"},
            "algorithm": {"enum": ["sha1", "sha256", "sha512"]},
            "encoding": {"enum": ["hex", "base64"]},
            "prefix": {"type": "string"},
            "signature_key": {"type": "string"},
            "timestamp_key": {"type": "string"},
            "timestamp_header": {"type": "string"},
            "timestamp_unit": {"enum": ["s", "ms"]},
            "canonical": {"type": "string"},
            "tolerance_s": {"type": "integer", "minimum": 0, "maximum": 86400}}}}},
    "poll": {"type": "object", "additionalProperties": false, "required": ["sources"],
      "properties": {"sources": {"type": "object", "additionalProperties": {
        "type": "object", "additionalProperties": false, "required": ["path"],
        "properties": {
          "path": {"type": "string"},
          "query": {"$ref": "#/$defs/templates"},
          "cursor_param": {"type": "string"},
          "initial_cursor": {"type": "string"},
          "records_pointer": {"type": "string"},
          "record_cursor_pointer": {"type": "string"},
          "next_cursor_pointer": {"type": "string"},
          "follow_link_header": {"type": "boolean"},
          "limit_param": {"type": "string"},
          "max_pages": {"type": "integer", "minimum": 1, "maximum": 1000}}}}}}
  },
  "$defs": {
    "statuses": {"type": "array", "items": {"type": "integer", "minimum": 100, "maximum": 599}},
    "templates": {"type": "object", "additionalProperties": {"type": "string"}},
    "operation": {"type": "object", "additionalProperties": false, "required": ["path"],
      "properties": {
        "method": {"enum": ["POST", "PUT", "PATCH", "DELETE", "GET"], "default": "POST"},
        "path": {"type": "string", "description": "Path template: /accounts/{account_id}/arrangements"},
        "query": {"$ref": "#/$defs/templates"},
        "headers": {"$ref": "#/$defs/templates"},
        "send_body": {"type": "boolean"},
        "target_dedups_by_key": {"type": "boolean"},
        "already_applied_statuses": {"$ref": "#/$defs/statuses"},
        "retryable_statuses": {"$ref": "#/$defs/statuses"},
        "reference": {"type": "object", "additionalProperties": false, "maxProperties": 1,
          "properties": {"json_pointer": {"type": "string"}, "header": {"type": "string"}, "idempotency_key": {"const": true}}},
        "probe": {"type": "object", "additionalProperties": false, "required": ["path"],
          "properties": {
            "path": {"type": "string"},
            "query": {"$ref": "#/$defs/templates"},
            "records_pointer": {"type": "string"},
            "reference_pointer": {"type": "string"}}}}}
  }
})json";

}  // namespace coregate::plugins::rest
