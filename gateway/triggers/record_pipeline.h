// One raw record (a polled row, an inbound record) -> one trigger: mapped to the canonical type
// (mapping direction to_canonical), validated against schemas/triggers/<type>.json, given its
// stable id (source + natural key) and wrapped in a structured CloudEvent. A record that fails
// any step is not a trigger: the verdict carries the reason for the trigger exception list.
//
// Thread-safety: CompiledRules is immutable; make_trigger() is pure and thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/mapping/mapping.h"
#include "gateway/schema/schema_registry.h"
#include "gateway/triggers/trigger_store.h"
#include "gateway/triggers/triggers_config.h"

namespace coregate::triggers {

struct CompiledRules {
  RecordRules rules;
  std::shared_ptr<const mapping::CompiledMapping> mapping;  // null: records are canonical
  std::shared_ptr<const schema::CompiledSchema> schema;     // schemas/triggers/<type>.json
  std::string event_source;                                 // "/coregate/sources/<source>"
  std::string event_type;                                   // "coregate.trigger.<type>"
  std::string dataschema;                                   // the schema's $id
};

struct [[nodiscard]] RecordVerdict {
  bool ok = false;
  NewTrigger trigger;
  std::string reason;  // why the record is an exception, when !ok
  // The record's identity in its source (the trigger id it has or would have): the exception key.
  std::string key;
};

struct RecordContext {
  int64_t now_ms = 0;
  // Used as the natural key when the rules name no fields (an inbound CloudEvent: its
  // source and id), so a re-sent event keeps its id.
  std::vector<std::string> fallback_key;
  std::optional<std::string> subject;  // overrides the subject pointer (a CloudEvent's subject)
};

RecordVerdict make_trigger(const CompiledRules& rules, const boost::json::value& raw,
                           const RecordContext& context);

// 32 hex digits of SHA-256 over the source name and the key parts (each length-prefixed, so
// ("ab","c") and ("a","bc") differ). Stable across versions: it is the trigger's identity.
std::string stable_trigger_id(std::string_view source, const std::vector<std::string>& key_parts);

}  // namespace coregate::triggers
