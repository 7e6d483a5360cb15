#include "gateway/triggers/triggers_config.h"

#include <algorithm>
#include <set>

namespace coregate::triggers {
namespace {

RecordRules rules_from(const std::string& name, const config::ConfigNode& block,
                       bool key_required) {
  RecordRules rules;
  rules.source = name;
  if (!is_valid_group_name(name)) {
    block.fail("", "source names are [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  }
  rules.adapter = block.string("adapter");
  rules.mapping = block.string_or("mapping", "");
  rules.type = block.string("type");
  rules.natural_key = block.strings_or("natural_key", {});
  if (key_required && rules.natural_key.empty()) {
    block.fail("natural_key",
               "list the raw-record fields that identify a record (the trigger's stable id)");
  }
  rules.subject = block.string_or("subject", rules.subject);
  if (!rules.subject.empty() && rules.subject.front() != '/') {
    block.fail("subject",
               "expected a JSON pointer into the canonical record, e.g. /account/account_id");
  }
  return rules;
}

}  // namespace

bool SubscriptionConfig::wants(std::string_view type) const {
  return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

std::chrono::milliseconds TriggersConfig::visibility_timeout(std::string_view group) const {
  const auto it = group_visibility_timeouts.find(group);
  return it == group_visibility_timeouts.end() ? default_visibility_timeout : it->second;
}

const InboundSourceConfig* TriggersConfig::inbound_for(std::string_view adapter) const {
  for (const auto& source : inbound_sources) {
    if (source.rules.adapter == adapter) return &source;
  }
  return nullptr;
}

bool is_valid_group_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
  }
  return true;
}

TriggersConfig triggers_config_from(const config::ConfigNode& root,
                                    const std::filesystem::path& outcome_store_path) {
  TriggersConfig out;
  out.store_path = outcome_store_path.parent_path() / "triggers.db";
  const auto section = root.child_if("triggers");
  if (!section) return out;
  section->allow_only({"store", "sources", "consumers", "stream", "subscriptions"});
  if (section->has("store")) out.store_path = section->file_path("store");

  std::set<std::string> names;
  if (const auto sources = section->child_if("sources")) {
    sources->allow_only({"poll", "inbound"});
    if (const auto poll = sources->child_if("poll")) {
      for (const auto& [name, block] : poll->members()) {
        block.allow_only({"adapter", "poll_source", "interval", "batch_size", "mapping", "type",
                          "natural_key", "subject"});
        if (!names.insert(name).second) poll->fail(name, "a source of this name already exists");
        PollSourceConfig source;
        source.rules = rules_from(name, block, true);
        source.poll_source = block.string_or("poll_source", name);
        source.interval = block.duration_or("interval", source.interval);
        if (source.interval.count() <= 0) block.fail("interval", "must be greater than 0");
        source.batch_size = static_cast<uint32_t>(block.integer_or("batch_size", 500, 1, 100000));
        out.poll_sources.push_back(std::move(source));
      }
    }
    if (const auto inbound = sources->child_if("inbound")) {
      std::set<std::string> adapters;
      for (const auto& [name, block] : inbound->members()) {
        block.allow_only({"adapter", "mapping", "type", "natural_key", "subject"});
        if (!names.insert(name).second) inbound->fail(name, "a source of this name already exists");
        InboundSourceConfig source;
        source.rules = rules_from(name, block, false);
        if (!adapters.insert(source.rules.adapter).second) {
          block.fail("adapter", "another inbound source already takes this adapter's requests");
        }
        out.inbound_sources.push_back(std::move(source));
      }
    }
  }
  if (const auto consumers = section->child_if("consumers")) {
    consumers->allow_only({"visibility_timeout", "groups"});
    out.default_visibility_timeout =
        consumers->duration_or("visibility_timeout", out.default_visibility_timeout);
    if (out.default_visibility_timeout.count() <= 0) {
      consumers->fail("visibility_timeout", "must be greater than 0");
    }
    if (const auto groups = consumers->child_if("groups")) {
      for (const auto& [name, block] : groups->members()) {
        if (!is_valid_group_name(name))
          groups->fail(name, "group names are [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
        block.allow_only({"visibility_timeout"});
        const auto timeout = block.duration("visibility_timeout");
        if (timeout.count() <= 0) block.fail("visibility_timeout", "must be greater than 0");
        out.group_visibility_timeouts.emplace(name, timeout);
      }
    }
  }
  if (const auto stream = section->child_if("stream")) {
    stream->allow_only({"heartbeat"});
    out.heartbeat = stream->duration_or("heartbeat", out.heartbeat);
    if (out.heartbeat.count() <= 0) stream->fail("heartbeat", "must be greater than 0");
  }
  if (const auto subscriptions = section->child_if("subscriptions")) {
    for (const auto& [name, block] : subscriptions->members()) {
      block.allow_only({"url", "types", "secret", "timeout", "concurrency", "retry"});
      if (!is_valid_group_name(name)) {
        subscriptions->fail(name, "subscription names are [A-Za-z0-9][A-Za-z0-9._-]{0,63}");
      }
      SubscriptionConfig sub;
      sub.name = name;
      sub.url = block.string("url");
      if (sub.url.rfind("http://", 0) != 0) {
        block.fail("url", "expected an http:// URL (the receiver terminates TLS in front)");
      }
      sub.types = block.strings_or("types", {});
      sub.secret = block.string("secret");
      if (sub.secret.size() < 16) block.fail("secret", "use a secret of at least 16 characters");
      sub.timeout = block.duration_or("timeout", sub.timeout);
      if (sub.timeout.count() <= 0) block.fail("timeout", "must be greater than 0");
      sub.concurrency = static_cast<uint32_t>(block.integer_or("concurrency", 4, 1, 64));
      sub.retry = engine::RetryPolicy::from_config(block);
      out.subscriptions.push_back(std::move(sub));
    }
  }
  return out;
}

}  // namespace coregate::triggers
