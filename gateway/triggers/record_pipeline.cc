#include "gateway/triggers/record_pipeline.h"

#include <openssl/evp.h>

#include <boost/json/serialize.hpp>

#include "gateway/triggers/cloud_event.h"

namespace coregate::triggers {
namespace {

const boost::json::value* field_of(const boost::json::value& record, const std::string& field) {
  if (!field.empty() && field.front() == '/') {
    boost::system::error_code ec;
    return record.find_pointer(field, ec);
  }
  if (!record.is_object()) return nullptr;
  return record.as_object().if_contains(field);
}

std::string key_text(const boost::json::value& value) {
  if (value.is_string()) return std::string(value.as_string());
  return boost::json::serialize(value);
}

}  // namespace

std::string stable_trigger_id(std::string_view source, const std::vector<std::string>& key_parts) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  auto feed = [ctx](std::string_view part) {
    const std::string length = std::to_string(part.size()) + ":";
    EVP_DigestUpdate(ctx, length.data(), length.size());
    EVP_DigestUpdate(ctx, part.data(), part.size());
  };
  feed(source);
  for (const auto& part : key_parts) feed(part);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, digest, &size);
  EVP_MD_CTX_free(ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (unsigned int i = 0; i < 16 && i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

RecordVerdict make_trigger(const CompiledRules& compiled, const boost::json::value& raw,
                           const RecordContext& context) {
  RecordVerdict verdict;
  const RecordRules& rules = compiled.rules;
  if (!raw.is_object()) {
    verdict.reason = "the record is not a JSON object";
    verdict.key = stable_trigger_id(rules.source, {boost::json::serialize(raw)});
    return verdict;
  }
  std::vector<std::string> key_parts;
  if (rules.natural_key.empty()) {
    key_parts = context.fallback_key;
  } else {
    for (const auto& field : rules.natural_key) {
      const auto* value = field_of(raw, field);
      if (value == nullptr || value->is_null()) {
        verdict.reason = "natural key field '" + field + "' is missing";
        verdict.key = stable_trigger_id(rules.source, {boost::json::serialize(raw)});
        return verdict;
      }
      key_parts.push_back(field);
      key_parts.push_back(key_text(*value));
    }
  }
  if (key_parts.empty()) {
    verdict.reason = "the source names no natural_key fields";
    return verdict;
  }
  verdict.key = stable_trigger_id(rules.source, key_parts);

  boost::json::value canonical;
  if (compiled.mapping) {
    auto mapped = compiled.mapping->apply(raw, mapping::Direction::to_canonical);
    if (!mapped.ok) {
      verdict.reason = "mapping failed: " + mapped.diagnostic(compiled.mapping->name());
      return verdict;
    }
    canonical = std::move(mapped.output);
  } else {
    canonical = raw;
  }
  std::vector<schema::ValidationError> errors;
  if (!compiled.schema->validate(canonical, &errors)) {
    verdict.reason = "not a valid " + rules.type + ":";
    for (size_t i = 0; i < errors.size() && i < 10; ++i) {
      verdict.reason +=
          " " +
          (errors[i].instance_pointer.empty() ? std::string("/") : errors[i].instance_pointer) +
          ": " + errors[i].message + ";";
    }
    return verdict;
  }

  std::string subject;
  if (context.subject) {
    subject = *context.subject;
  } else if (!rules.subject.empty()) {
    boost::system::error_code ec;
    if (const auto* value = canonical.find_pointer(rules.subject, ec); value != nullptr) {
      subject = key_text(*value);
    }
  }

  CloudEvent event;
  event.id = verdict.key;
  event.source = compiled.event_source;
  event.type = compiled.event_type;
  if (!subject.empty()) event.subject = subject;
  event.time = rfc3339_ms(context.now_ms);
  event.datacontenttype = "application/json";
  if (!compiled.dataschema.empty()) event.dataschema = compiled.dataschema;
  event.data = std::move(canonical);

  verdict.ok = true;
  verdict.trigger.id = event.id;
  verdict.trigger.type = event.type;
  verdict.trigger.subject = subject;
  verdict.trigger.event_json = to_structured_json(event);
  return verdict;
}

}  // namespace coregate::triggers
