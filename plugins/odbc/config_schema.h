// JSON Schema (2020-12) of the ODBC adapter's config block, published in the plugin descriptor so
// the gateway validates the block before create. docs/plugins/odbc.md explains each key.
#pragma once

namespace coregate::plugins::odbc {

inline constexpr char kOdbcConfigSchema[] = R"json({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://coregate.dev/schemas/plugins/odbc.json",
  "title": "odbc adapter",
  "description": "Exactly-once writeback to SQL systems of record through unixODBC, with probe, keyset polling and health.",
  "type": "object",
  "additionalProperties": false,
  "required": ["connection_string"],
  "properties": {
    "connection_string": {"type": "string", "minLength": 1,
      "description": "ODBC connection string: DSN=name;UID=..;PWD=${env:DB_PASSWORD} or DSN-less Driver=PostgreSQL Unicode;Server=..;Port=..;Database=..;"},
    "concurrency": {"type": "integer", "minimum": 1, "maximum": 256, "default": 4,
      "description": "Pool size: connections open at most, one per concurrent hook call. Match the adapter's concurrency in the gateway."},
    "login_timeout_s": {"type": "integer", "minimum": 1, "maximum": 600, "default": 5},
    "dialect": {"enum": ["auto", "sqlite", "postgresql", "mariadb", "generic"], "default": "auto",
      "description": "Selects driver quirks (native codes, commit verification). auto: guessed from the connection string."},
    "statements": {"type": "object",
      "description": "Named parameterised statements (INSERT, UPDATE, MERGE, {CALL ...}); records select them by name and supply parameter values.",
      "additionalProperties": {"$ref": "#/$defs/sql"}},
    "ledger": {"type": "object", "additionalProperties": false,
      "properties": {
        "enabled": {"type": "boolean", "default": true},
        "table": {"type": "string", "default": "coregate_writeback_ledger"},
        "create": {"type": "boolean", "default": false, "description": "CREATE TABLE IF NOT EXISTS at create."},
        "verify_commit": {"type": "boolean", "description": "Check that the transaction still sees its own ledger row just before COMMIT (default true): psqlODBC and MariaDB Connector/ODBC report success for COMMIT of a transaction that was already rolled back. Costs one extra round trip per write."}
      }},
    "reference_param": {"type": "string",
      "description": "Name of a statement parameter whose value is the write's reference. Default: the idempotency key."},
    "probe_query": {"$ref": "#/$defs/sql",
      "description": "Natural-key query used instead of the ledger when ledger.enabled is false; a row means applied (first column = reference)."},
    "health_query": {"type": "string", "default": "SELECT 1"},
    "poll": {"type": "object", "additionalProperties": false,
      "properties": {
        "sources": {"type": "object", "additionalProperties": {
          "type": "object", "additionalProperties": false, "required": ["sql", "cursor_columns"],
          "properties": {
            "sql": {"type": "string"},
            "params": {"$ref": "#/$defs/params"},
            "cursor_columns": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "initial_cursor": {"type": "object"}
          }}}
      }}
  },
  "$defs": {
    "param": {"oneOf": [
      {"type": "string"},
      {"type": "object", "additionalProperties": false, "required": ["name"],
       "properties": {
         "name": {"type": "string"},
         "column": {"type": "string"},
         "type": {"enum": ["string", "integer", "decimal", "boolean", "date", "timestamp"], "default": "string"},
         "max_length": {"type": "integer", "minimum": 1},
         "nullable": {"type": "boolean", "default": true}
       }}]},
    "params": {"type": "array", "items": {"$ref": "#/$defs/param"}},
    "sql": {"type": "object", "additionalProperties": false, "required": ["sql"],
      "properties": {"sql": {"type": "string", "minLength": 1}, "params": {"$ref": "#/$defs/params"}}}
  }
})json";

}  // namespace coregate::plugins::odbc
