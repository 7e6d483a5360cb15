#include "plugins/rest/settings.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "plugins/rest/json_pointer.h"
#include "plugins/rest/request_template.h"

namespace coregate::plugins::rest {
namespace {

using sdk::AdapterConfig;

std::set<int> statuses(const AdapterConfig& c, std::string_view key, std::set<int> fallback) {
  if (!c.has(key)) return fallback;
  std::set<int> out;
  for (const auto& v : c.array(key)) {
    if (!v.is_int64() || v.as_int64() < 100 || v.as_int64() > 599) {
      throw c.error(key, "an array of HTTP status codes (100 to 599)");
    }
    out.insert(static_cast<int>(v.as_int64()));
  }
  return out;
}

std::string pointer(const AdapterConfig& c, std::string_view key, std::string_view fallback) {
  std::string p = c.string_or(key, fallback);
  if (!is_valid_pointer(p)) throw c.error(key, "a JSON pointer (RFC 6901) such as \"/id\"");
  return p;
}

std::string checked_template(const AdapterConfig& c, std::string_view key, std::string value) {
  if (auto problem = first_template_error(value)) throw c.error(key, "a template: " + *problem);
  return value;
}

TemplatePairs template_pairs(const AdapterConfig& c, std::string_view key) {
  TemplatePairs out;
  if (!c.has(key)) return out;
  for (const auto& [name, value] : c.object(key)) {
    if (!value.is_string()) throw c.error(key, "an object of string templates");
    std::string qualified = std::string(key) + "." + std::string(name);
    out.emplace_back(std::string(name),
                     checked_template(c, qualified, std::string(value.as_string())));
  }
  return out;
}

ReferenceRule reference_rule(const AdapterConfig& op) {
  ReferenceRule r;
  if (!op.has("reference")) return r;
  auto ref = op.section("reference");
  ref.expect_only({"json_pointer", "header", "idempotency_key"});
  if (ref.has("json_pointer")) {
    r.source = ReferenceRule::Source::kJsonPointer;
    r.pointer = pointer(ref, "json_pointer", "");
  } else if (ref.has("header")) {
    r.source = ReferenceRule::Source::kHeader;
    r.header = ref.string("header");
    for (char& ch : r.header) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  } else if (ref.boolean_or("idempotency_key", false)) {
    r.source = ReferenceRule::Source::kKey;
  }
  return r;
}

Operation operation(const AdapterConfig& c, const std::string& name,
                    const ClassificationRules& base) {
  Operation op;
  op.name = name;
  op.method = c.string_or("method", "POST");
  static const std::set<std::string> kMethods{"POST", "PUT", "PATCH", "DELETE", "GET"};
  if (kMethods.count(op.method) == 0)
    throw c.error("method", "one of POST, PUT, PATCH, DELETE, GET");
  op.path = checked_template(c, "path", c.string("path"));
  if (op.path.empty() || op.path.front() != '/') throw c.error("path", "a path starting with /");
  op.query = template_pairs(c, "query");
  op.headers = template_pairs(c, "headers");
  op.send_body = c.boolean_or("send_body", op.method != "GET" && op.method != "DELETE");
  op.rules = base;
  op.rules.already_applied = statuses(c, "already_applied_statuses", base.already_applied);
  op.rules.retryable = statuses(c, "retryable_statuses", base.retryable);
  op.rules.target_dedups_by_key = c.boolean_or("target_dedups_by_key", base.target_dedups_by_key);
  op.rules.reference = reference_rule(c);
  if (c.has("probe")) {
    auto p = c.section("probe");
    ProbeSettings probe;
    probe.path = checked_template(p, "path", p.string("path"));
    probe.query = template_pairs(p, "query");
    probe.reference_pointer = pointer(p, "reference_pointer", "/id");
    probe.records_pointer = pointer(p, "records_pointer", "");
    op.probe = probe;
  }
  return op;
}

WebhookSignatureRules signature_rules(const AdapterConfig& s) {
  WebhookSignatureRules r;
  r.header = s.string("header");
  for (char& ch : r.header) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  r.secret = s.secret("secret");
  if (r.secret.empty()) throw s.error("secret", "a non-empty secret");
  auto alg = digest_algorithm(s.string_or("algorithm", "sha256"));
  if (!alg) throw s.error("algorithm", "sha1, sha256 or sha512");
  r.algorithm = *alg;
  auto enc = digest_encoding(s.string_or("encoding", "hex"));
  if (!enc) throw s.error("encoding", "hex or base64");
  r.encoding = *enc;
  r.prefix = s.string_or("prefix", "");
  r.signature_key = s.string_or("signature_key", "");
  r.timestamp_key = s.string_or("timestamp_key", "");
  r.timestamp_header = s.string_or("timestamp_header", "");
  for (char& ch : r.timestamp_header)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  r.canonical = s.string_or("canonical", "{body}");
  r.tolerance = std::chrono::seconds(s.integer_in_or("tolerance_s", 0, 86400, 300));
  r.timestamp_in_ms = s.string_or("timestamp_unit", "s") == "ms";
  return r;
}

}  // namespace

RestSettings parse_settings(const AdapterConfig& c) {
  RestSettings s;
  s.base_url = c.string("base_url");
  Poco::URI uri;
  try {
    uri = Poco::URI(s.base_url);
  } catch (const Poco::Exception& e) {
    throw c.error("base_url", "an http:// or https:// URL (" + e.displayText() + ")");
  }
  if (uri.getScheme() != "http" && uri.getScheme() != "https") {
    throw c.error("base_url", "an http:// or https:// URL");
  }
  if (uri.getHost().empty()) throw c.error("base_url", "a URL with a host");
  s.client.https = uri.getScheme() == "https";
  s.client.host = uri.getHost();
  s.client.port = uri.getPort();
  s.base_path = uri.getPath();
  while (!s.base_path.empty() && s.base_path.back() == '/') s.base_path.pop_back();

  s.client.pool_size = static_cast<size_t>(c.integer_in_or("concurrency", 1, 1024, 8));
  s.client.connect_timeout =
      std::chrono::milliseconds(c.integer_in_or("connect_timeout_ms", 1, 600000, 5000));
  s.client.read_timeout =
      std::chrono::milliseconds(c.integer_in_or("read_timeout_ms", 1, 3600000, 30000));
  s.client.max_response_bytes =
      static_cast<size_t>(c.integer_in_or("max_response_bytes", 1, int64_t(1) << 30, 1 << 20));
  s.client.keep_alive_idle =
      std::chrono::seconds(c.integer_in_or("keep_alive_idle_s", 1, 3600, 30));
  s.max_redirects = static_cast<int>(c.integer_in_or("max_redirects", 0, 20, 5));
  s.idempotency_header = c.string_or("idempotency_header", "Idempotency-Key");
  s.default_headers = template_pairs(c, "headers");

  if (c.has("tls")) {
    auto t = c.section("tls");
    s.client.tls.verify = t.boolean_or("verify", true);
    s.client.tls.ca_file = t.string_or("ca_file", "");
    s.client.tls.cert_file = t.string_or("cert_file", "");
    s.client.tls.key_file = t.string_or("key_file", "");
    std::string min = t.string_or("min_version", "1.2");
    if (min != "1.2" && min != "1.3") throw t.error("min_version", "\"1.2\" or \"1.3\"");
    s.client.tls.tls13_only = min == "1.3";
    if (s.client.tls.cert_file.empty() != s.client.tls.key_file.empty()) {
      throw t.error("cert_file", "set together with key_file (a client certificate needs its key)");
    }
  }
  if (c.has("proxy")) {
    auto p = c.section("proxy");
    Poco::URI proxy(p.string("url"));
    if (proxy.getScheme() != "http" || proxy.getHost().empty()) {
      throw p.error("url", "an http://host:port proxy URL");
    }
    s.client.proxy.host = proxy.getHost();
    s.client.proxy.port = proxy.getPort();
    s.client.proxy.username = p.string_or("username", "");
    if (p.has("password")) s.client.proxy.password = p.secret("password");
  }
  if (c.has("auth")) {
    auto a = c.section("auth");
    s.auth_provider = a.string("provider");
    s.auth_header = a.string_or("header", "Authorization");
  }
  if (c.has("signing")) {
    auto g = c.section("signing");
    SigningRules r;
    r.secret = g.secret("secret");
    auto alg = digest_algorithm(g.string_or("algorithm", "sha256"));
    if (!alg) throw g.error("algorithm", "sha1, sha256 or sha512");
    r.algorithm = *alg;
    auto enc = digest_encoding(g.string_or("encoding", "hex"));
    if (!enc) throw g.error("encoding", "hex or base64");
    r.encoding = *enc;
    r.canonical = g.string_or("canonical", r.canonical);
    r.signature_header = g.string_or("signature_header", r.signature_header);
    r.prefix = g.string_or("prefix", "");
    r.timestamp_header = g.string_or("timestamp_header", r.timestamp_header);
    s.signing = r;
  }

  ClassificationRules base;
  base.already_applied = statuses(c, "already_applied_statuses", base.already_applied);
  base.retryable = statuses(c, "retryable_statuses", base.retryable);
  base.target_dedups_by_key = c.boolean_or("target_dedups_by_key", false);
  if (c.has("operations")) {
    auto ops = c.section("operations");
    for (const auto& [name, _] : ops.values()) {
      std::string n(name);
      s.operations.emplace(n, operation(ops.section(n), n, base));
    }
  }
  if (c.has("health")) {
    auto h = c.section("health");
    s.has_health = true;
    s.health.path = checked_template(h, "path", h.string_or("path", "/"));
    s.health.healthy_statuses = statuses(h, "healthy_statuses", {});
  }
  if (c.has("webhook")) {
    auto w = c.section("webhook");
    if (w.has("signature")) s.webhook.signature = signature_rules(w.section("signature"));
    s.webhook.records_pointer = pointer(w, "records_pointer", "");
  }
  if (c.has("poll")) {
    auto sources = c.section("poll").section("sources");
    for (const auto& [name, _] : sources.values()) {
      auto p = sources.section(name);
      PollSource src;
      src.name = std::string(name);
      src.path = checked_template(p, "path", p.string("path"));
      src.query = template_pairs(p, "query");
      src.cursor_param = p.string_or("cursor_param", "");
      src.initial_cursor = p.string_or("initial_cursor", "");
      src.records_pointer = pointer(p, "records_pointer", "");
      src.record_cursor_pointer = pointer(p, "record_cursor_pointer", "");
      src.next_cursor_pointer = pointer(p, "next_cursor_pointer", "");
      src.follow_link_header = p.boolean_or("follow_link_header", true);
      src.limit_param = p.string_or("limit_param", "");
      src.max_pages = static_cast<int>(p.integer_in_or("max_pages", 1, 1000, 10));
      s.poll_sources.emplace(src.name, std::move(src));
    }
  }
  return s;
}

}  // namespace coregate::plugins::rest
