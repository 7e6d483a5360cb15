/*
 * Coregate adapter ABI — the whole contract between the gateway (host) and an adapter plugin.
 *
 * Pure C, standard library only, so a plugin built by another team with another compiler keeps
 * working. No exceptions, RTTI or C++ types cross this boundary. Adapter authors normally do not
 * use this header directly: the C++ SDK (<coregate/sdk/plugin.h>) implements it for them.
 *
 * Name families:
 *   cg_type_*  types shared by both sides
 *   cg_on_*    hooks the plugin implements (in cg_type_hooks)
 *   cg_cb_*    callbacks the host implements (in cg_type_host)
 *
 * Ownership rules (every pointer below repeats the rule that applies to it):
 *   - Whoever allocates frees. The host never frees plugin memory and vice versa.
 *   - Data the host passes into a hook is borrowed: valid only until the hook returns.
 *   - Data a plugin returns to the host is written into host-owned buffers (cg_type_buffer)
 *     through cg_cb_buffer_assign / cg_cb_buffer_append; the host copies, the plugin keeps nothing.
 *   - Data the host returns to a plugin from a callback goes into a plugin-owned cg_type_sink;
 *     the plugin copies, the host keeps nothing.
 *   - The descriptor and hook table returned by coregate_plugin_init are static: they live as long
 *     as the library is loaded. The host never unloads a library while an adapter it created lives.
 *
 * Text is UTF-8 and never NUL-terminated unless stated: it travels as cg_type_bytes {ptr, len}.
 * Records cross as UTF-8 JSON text.
 *
 * Threading: the host may call write, probe and health on one adapter instance concurrently from
 * several worker threads (at most the adapter's configured concurrency at once). poll is never
 * called concurrently with itself on one instance. inbound may run concurrently with everything.
 * create and destroy are never concurrent with any other hook on the same instance.
 * Hooks must not block forever: each request carries a deadline the plugin should honour.
 */
#ifndef COREGATE_PLUGIN_ABI_H
#define COREGATE_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version. A host refuses a plugin whose major differs from its own or whose minor is newer
 * than its own. Minor versions only append fields at the end of structs that start with
 * struct_size, so an older plugin keeps working with a newer host. */
#define COREGATE_ABI_MAJOR 1
#define COREGATE_ABI_MINOR 0

/* The one exported symbol. */
#define COREGATE_PLUGIN_ENTRY_SYMBOL "coregate_plugin_init"

#if defined(__GNUC__)
#define COREGATE_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define COREGATE_PLUGIN_EXPORT
#endif

/* ---- basic types ------------------------------------------------------------------------- */

/* A borrowed byte range. ptr may be NULL only when len is 0. Lifetime: stated where used. */
typedef struct cg_type_bytes {
  const char* ptr;
  size_t len;
} cg_type_bytes;

/* A host-owned growable buffer. Plugins fill it only through cg_cb_buffer_assign/append.
 * Opaque; never freed, kept or dereferenced by the plugin. Valid until the hook returns. */
typedef struct cg_type_buffer cg_type_buffer;

/* A plugin-owned receiver for bytes the host hands back from a callback (a secret, a credential).
 * The host calls write(self, ptr, len) zero or more times before the callback returns; ptr is
 * borrowed for that call only, so the plugin copies. self is the plugin's; the host never keeps it.
 */
typedef struct cg_type_sink {
  void* self;
  void (*write)(void* self, const char* ptr, size_t len);
} cg_type_sink;

/* A plugin-owned adapter instance. Created by cg_on_create, freed only by cg_on_destroy. */
typedef struct cg_type_adapter cg_type_adapter;

/* Host-owned context that identifies the adapter instance in callbacks. Opaque to the plugin.
 * Valid from cg_on_create until cg_on_destroy returns for that instance. */
typedef struct cg_type_host_context cg_type_host_context;

/* Hook status: whether the hook itself ran. Business outcomes (rejected, retryable ...) are
 * results, not statuses; CG_STATUS_ERROR means the hook failed to do its job (for example the SDK
 * caught an exception) and the error buffer says why. */
typedef enum cg_type_status { CG_STATUS_OK = 0, CG_STATUS_ERROR = 1 } cg_type_status;

/* Capability flags (cg_type_plugin_descriptor.capabilities). A hook whose capability is not
 * declared may be NULL in the hook table and is never called. */
#define CG_CAP_WRITE ((uint64_t)1u << 0)
#define CG_CAP_PROBE ((uint64_t)1u << 1)
#define CG_CAP_POLL ((uint64_t)1u << 2)
#define CG_CAP_INBOUND ((uint64_t)1u << 3)
#define CG_CAP_HEALTH ((uint64_t)1u << 4)

/* ---- write --------------------------------------------------------------------------------- */

/* The five classes of DESIGN §3. The engine's whole retry logic hangs on them. */
typedef enum cg_type_write_class {
  CG_WRITE_APPLIED = 0,         /* written now; reference set */
  CG_WRITE_ALREADY_APPLIED = 1, /* the target shows this key was applied before */
  CG_WRITE_RETRYABLE = 2,       /* known not applied, transient */
  CG_WRITE_REJECTED = 3,        /* known not applied, permanent */
  CG_WRITE_AMBIGUOUS = 4        /* may or may not have been applied */
} cg_type_write_class;

/* One mapped outcome step to apply. Host-owned; every field borrowed until the hook returns. */
typedef struct cg_type_write_request {
  uint32_t struct_size;
  uint32_t attempt;              /* 1 for the first attempt of this step */
  cg_type_bytes idempotency_key; /* stable across attempts and restarts; unique per step */
  cg_type_bytes outcome_id;      /* the gateway's outcome id */
  cg_type_bytes outcome_type;    /* canonical type, e.g. "arrangement.promise_to_pay" */
  cg_type_bytes subject;         /* ordering key, e.g. an account reference */
  cg_type_bytes record_json;     /* the mapped system record, a JSON object */
  int64_t deadline_unix_ms;      /* give up (and say AMBIGUOUS or RETRYABLE) by then */
} cg_type_write_request;

/* Where a write hook puts its answer. Host-owned and zero-initialised except struct_size and the
 * buffers; the plugin sets the scalar fields and fills the buffers. */
typedef struct cg_type_write_result {
  uint32_t struct_size;
  int32_t write_class;        /* a cg_type_write_class; the host defaults it to AMBIGUOUS */
  int64_t retry_after_ms;     /* >0: the target asked to wait this long (Retry-After); else 0 */
  cg_type_buffer* reference;  /* the system's reference for an applied write (e.g. a row id) */
  cg_type_buffer* diagnostic; /* the system's own error: SQLSTATE, SOAP fault, HTTP body ... */
} cg_type_write_result;

/* ---- probe --------------------------------------------------------------------------------- */

typedef enum cg_type_probe_state {
  CG_PROBE_UNKNOWN = 0,  /* cannot tell (the target is down, or no way to look) */
  CG_PROBE_APPLIED = 1,  /* the write with this key landed; reference set */
  CG_PROBE_NOT_FOUND = 2 /* the write with this key certainly did not land */
} cg_type_probe_state;

typedef struct cg_type_probe_request {
  uint32_t struct_size;
  uint32_t reserved;
  cg_type_bytes idempotency_key; /* borrowed until the hook returns */
  cg_type_bytes outcome_id;
  cg_type_bytes outcome_type; /* as in the write request */
  cg_type_bytes subject;      /* as in the write request */
  cg_type_bytes record_json;  /* the record that was written, for natural-key probes */
  int64_t deadline_unix_ms;
} cg_type_probe_request;

typedef struct cg_type_probe_result {
  uint32_t struct_size;
  int32_t state; /* a cg_type_probe_state; host default UNKNOWN */
  cg_type_buffer* reference;
  cg_type_buffer* diagnostic;
} cg_type_probe_result;

/* ---- poll ---------------------------------------------------------------------------------- */

typedef struct cg_type_poll_request {
  uint32_t struct_size;
  uint32_t max_records; /* return at most this many records */
  cg_type_bytes source; /* the configured source name this poll serves */
  cg_type_bytes cursor; /* opaque text the plugin returned last time; empty on the first poll */
  int64_t deadline_unix_ms;
} cg_type_poll_request;

typedef struct cg_type_poll_result {
  uint32_t struct_size;
  uint32_t reserved;
  cg_type_buffer* records_json; /* a JSON array of raw record objects (may be empty: "[]") */
  cg_type_buffer* next_cursor;  /* committed by the host together with the records */
  cg_type_buffer* diagnostic;   /* why a poll failed (status ERROR) or partial detail */
} cg_type_poll_result;

/* ---- inbound ------------------------------------------------------------------------------- */

typedef struct cg_type_inbound_request {
  uint32_t struct_size;
  uint32_t reserved;
  cg_type_bytes method;       /* "POST" */
  cg_type_bytes target;       /* request target after /v1/inbound/<adapter>, with query */
  cg_type_bytes headers_json; /* JSON object, lower-case header name -> string value */
  cg_type_bytes body;         /* raw request body */
} cg_type_inbound_request;

typedef struct cg_type_inbound_result {
  uint32_t struct_size;
  int32_t reply_status;         /* HTTP status for the caller; 0 lets the host choose 200/400 */
  cg_type_buffer* records_json; /* JSON array of raw records to ingest as triggers */
  cg_type_buffer* reply_headers_json; /* JSON object of extra reply headers (optional) */
  cg_type_buffer* reply_body;         /* reply body (optional) */
  cg_type_buffer* diagnostic;
} cg_type_inbound_result;

/* ---- health -------------------------------------------------------------------------------- */

typedef enum cg_type_health_state {
  CG_HEALTH_HEALTHY = 0,
  CG_HEALTH_DEGRADED = 1,
  CG_HEALTH_UNHEALTHY = 2
} cg_type_health_state;

typedef struct cg_type_health_request {
  uint32_t struct_size;
  uint32_t reserved;
  int64_t deadline_unix_ms; /* answer by then; the host counts a late answer as UNHEALTHY */
} cg_type_health_request;

typedef struct cg_type_health_result {
  uint32_t struct_size;
  int32_t state;          /* a cg_type_health_state; host default UNHEALTHY */
  cg_type_buffer* detail; /* a short human-readable explanation */
} cg_type_health_result;

/* ---- host callbacks ------------------------------------------------------------------------ */

typedef enum cg_type_log_level {
  CG_LOG_TRACE = 0,
  CG_LOG_DEBUG = 1,
  CG_LOG_INFO = 2,
  CG_LOG_WARN = 3,
  CG_LOG_ERROR = 4
} cg_type_log_level;

typedef enum cg_type_metric_kind {
  CG_METRIC_COUNTER = 0,  /* value is added */
  CG_METRIC_GAUGE = 1,    /* value replaces */
  CG_METRIC_HISTOGRAM = 2 /* value is one observation, in seconds for durations */
} cg_type_metric_kind;

/* The host's services, one table per adapter instance. Host-owned; valid from cg_on_create until
 * cg_on_destroy returns. Every callback is thread-safe and may be called from any hook. */
typedef struct cg_type_host {
  uint32_t struct_size;
  uint32_t reserved;
  /* Pass back to every callback; identifies the adapter instance. Host-owned, opaque. */
  cg_type_host_context* context;

  /* Fill a host-owned buffer: assign replaces its content, append adds to it. The bytes are
   * copied before the call returns. */
  void (*cg_cb_buffer_assign)(cg_type_buffer* buffer, const char* ptr, size_t len);
  void (*cg_cb_buffer_append)(cg_type_buffer* buffer, const char* ptr, size_t len);

  /* Log a message tagged with the adapter instance. message is borrowed for the call. The host
   * redacts known secret values before the line is written. */
  void (*cg_cb_log)(cg_type_host_context* context, int32_t level, cg_type_bytes message);

  /* Record a metric. name is a Prometheus metric name suffix (the host prefixes it with
   * "coregate_adapter_" and labels it with the adapter); labels_json is a JSON object of extra
   * string labels or empty. Borrowed for the call. */
  void (*cg_cb_metric)(cg_type_host_context* context, int32_t kind, cg_type_bytes name,
                       cg_type_bytes labels_json, double value);

  /* Resolve a secret reference such as "${env:NAME}" or "${file:/path}" into out. Returns
   * CG_STATUS_OK, or CG_STATUS_ERROR with the reason in error (never the secret). The host
   * remembers the value and redacts it from logs. */
  cg_type_status (*cg_cb_secret)(cg_type_host_context* context, cg_type_bytes reference,
                                 cg_type_sink out, cg_type_sink error);

  /* Outbound credentials from a provider configured in the gateway (OAuth2 client credentials and
   * the like), cached by the host. out receives the value to send (for example "Bearer eyJ...").
   * force_refresh != 0 discards the cached value first (use it once after a 401). */
  cg_type_status (*cg_cb_credentials)(cg_type_host_context* context, cg_type_bytes provider,
                                      int32_t force_refresh, cg_type_sink out, cg_type_sink error);

  /* The clock. Tests inject a fake one through the host, so plugins must use these rather than
   * reading the system clock when a time matters to behaviour. */
  int64_t (*cg_cb_clock_unix_ms)(cg_type_host_context* context);
  int64_t (*cg_cb_clock_monotonic_ns)(cg_type_host_context* context);
} cg_type_host;

/* ---- hooks --------------------------------------------------------------------------------- */

/* The plugin's hook table. Static; lives as long as the library is loaded. A hook whose
 * capability is not declared may be NULL. Every hook with a status return fills error (or the
 * result's diagnostic) when it returns CG_STATUS_ERROR. */
typedef struct cg_type_hooks {
  uint32_t struct_size;
  uint32_t reserved;

  /* Build an adapter from its validated configuration.
   * instance_name: the adapter's name in the gateway config (borrowed for the call).
   * config_json: the adapter's config block, already validated against the plugin's schema, with
   *   ${env:...}/${file:...} references resolved by the host at load (their values are redacted
   *   from every log line); borrowed. cg_cb_secret resolves further references at run time.
   * host: valid until cg_on_destroy returns for the adapter created here; the plugin may keep it.
   * *out_adapter: set on success; owned by the plugin, released only through cg_on_destroy. */
  cg_type_status (*cg_on_create)(const cg_type_host* host, cg_type_bytes instance_name,
                                 cg_type_bytes config_json, cg_type_adapter** out_adapter,
                                 cg_type_buffer* error);

  /* Release an adapter made by cg_on_create. Called once, after every other hook on it returned. */
  void (*cg_on_destroy)(cg_type_adapter* adapter);

  /* CG_CAP_WRITE. A CG_STATUS_ERROR return is treated as AMBIGUOUS with the error as diagnostic. */
  cg_type_status (*cg_on_write)(cg_type_adapter* adapter, const cg_type_write_request* request,
                                cg_type_write_result* result);

  /* CG_CAP_PROBE. A CG_STATUS_ERROR return is treated as UNKNOWN. */
  cg_type_status (*cg_on_probe)(cg_type_adapter* adapter, const cg_type_probe_request* request,
                                cg_type_probe_result* result);

  /* CG_CAP_POLL. On CG_STATUS_ERROR the host commits nothing and keeps the old cursor. */
  cg_type_status (*cg_on_poll)(cg_type_adapter* adapter, const cg_type_poll_request* request,
                               cg_type_poll_result* result);

  /* CG_CAP_INBOUND. */
  cg_type_status (*cg_on_inbound)(cg_type_adapter* adapter, const cg_type_inbound_request* request,
                                  cg_type_inbound_result* result);

  /* CG_CAP_HEALTH. Must be cheap (SELECT 1, an echo). CG_STATUS_ERROR counts as UNHEALTHY. */
  cg_type_status (*cg_on_health)(cg_type_adapter* adapter, const cg_type_health_request* request,
                                 cg_type_health_result* result);
} cg_type_hooks;

/* ---- descriptor ---------------------------------------------------------------------------- */

/* What coregate_plugin_init returns. Static; lives as long as the library is loaded. Fields are
 * only ever appended, so the host reads struct_size first and refuses one shorter than the v1.0
 * layout. All strings are NUL-terminated, static, UTF-8. */
typedef struct cg_type_plugin_descriptor {
  uint32_t struct_size;
  uint32_t abi_major; /* COREGATE_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor; /* COREGATE_ABI_MINOR the plugin was built with */
  uint32_t reserved;
  const char* name;               /* plugin name: [a-z][a-z0-9_]*, equal to the folder name */
  const char* version;            /* the plugin's own version, e.g. "1.2.0" */
  const char* build_signature;    /* compiler, standard library and SDK version it was built with */
  uint64_t capabilities;          /* CG_CAP_* flags */
  const char* config_schema_json; /* JSON Schema (2020-12) of the adapter config block */
  const cg_type_hooks* hooks;     /* static hook table */
} cg_type_plugin_descriptor;

/* The entry point every plugin exports. Must not fail by crashing: return NULL to refuse.
 * Called once per load; the result must stay valid while the library is loaded. */
typedef const cg_type_plugin_descriptor* (*cg_type_plugin_init_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* COREGATE_PLUGIN_ABI_H */
