#include "gateway/triggers/cloud_event.h"

#include <boost/json/serialize.hpp>
#include <ctime>

#include "gateway/http/time_format.h"
#include "gateway/intake/strict_json.h"

namespace coregate::triggers {
namespace {

constexpr std::string_view kRequired[] = {"specversion", "id", "source", "type"};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// CloudEvents 1.0 §3.1.1: attribute names are lower-case ASCII letters and digits.
bool is_attribute_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool is_json_content_type(std::string_view content_type) {
  std::string media = lower(content_type.substr(0, content_type.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  return media == "application/json" || media == "text/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n =
        (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return false;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

// Sets one context attribute from text, checking the ones the spec constrains.
std::string set_attribute(CloudEvent& event, const std::string& name, std::string value) {
  if (!is_attribute_name(name)) {
    return "attribute name '" + name + "' is not lower-case letters and digits";
  }
  if (name == "specversion") {
    if (value != "1.0") return "specversion '" + value + "' is not supported (expected 1.0)";
    event.specversion = std::move(value);
  } else if (name == "id") {
    event.id = std::move(value);
  } else if (name == "source") {
    event.source = std::move(value);
  } else if (name == "type") {
    event.type = std::move(value);
  } else if (name == "subject") {
    event.subject = std::move(value);
  } else if (name == "time") {
    if (!is_rfc3339(value)) return "time '" + value + "' is not an RFC 3339 timestamp";
    event.time = std::move(value);
  } else if (name == "datacontenttype") {
    event.datacontenttype = std::move(value);
  } else if (name == "dataschema") {
    if (value.empty()) return "dataschema must not be empty";
    event.dataschema = std::move(value);
  } else if (name == "data" || name == "data_base64") {
    return "'" + name + "' is not a context attribute";
  } else {
    event.extensions[name] = value;
  }
  return {};
}

std::string check_required(const CloudEvent& event, const std::vector<std::string>& present) {
  for (const auto required : kRequired) {
    bool found = false;
    for (const auto& name : present) found = found || name == required;
    if (!found) return "required attribute '" + std::string(required) + "' is missing";
  }
  if (event.id.empty()) return "attribute 'id' must not be empty";
  if (event.source.empty()) return "attribute 'source' must not be empty";
  if (event.type.empty()) return "attribute 'type' must not be empty";
  return {};
}

}  // namespace

std::string to_structured_json(const CloudEvent& event) {
  boost::json::object out;
  out["specversion"] = event.specversion;
  out["id"] = event.id;
  out["source"] = event.source;
  out["type"] = event.type;
  if (event.subject) out["subject"] = *event.subject;
  if (event.time) out["time"] = *event.time;
  if (event.datacontenttype) out["datacontenttype"] = *event.datacontenttype;
  if (event.dataschema) out["dataschema"] = *event.dataschema;
  for (const auto& member : event.extensions) out[member.key()] = member.value();
  if (event.data_base64) out["data_base64"] = *event.data_base64;
  std::string text = boost::json::serialize(out);
  if (event.data) {
    // Spliced in rather than copied into `out`: data is the bulk of an event (ingest hot path).
    text.pop_back();  // '}'
    text += ",\"data\":";
    text += boost::json::serialize(*event.data);
    text += '}';
  }
  return text;
}

CloudEventParse parse_structured_cloudevent(std::string_view body) {
  CloudEventParse result;
  auto parsed = intake::parse_strict_json(body, intake::StrictJsonLimits{64});
  if (!parsed.ok()) {
    result.error = "not a valid JSON CloudEvent: " + parsed.message;
    return result;
  }
  if (!parsed.value.is_object()) {
    result.error = "a structured CloudEvent is a JSON object";
    return result;
  }
  auto& object = parsed.value.as_object();
  std::vector<std::string> present;
  for (auto& member : object) {
    const std::string name(member.key());
    if (name == "data") {
      result.event.data = std::move(member.value());
      continue;
    }
    if (name == "data_base64") {
      if (!member.value().is_string()) {
        result.error = "'data_base64' must be a string";
        return result;
      }
      result.event.data_base64 = std::string(member.value().as_string());
      continue;
    }
    const auto& value = member.value();
    std::string text;
    if (value.is_string()) {
      text = std::string(value.as_string());
    } else if (value.is_bool() || value.is_int64() || value.is_uint64()) {
      // Extension attributes may be Boolean or Integer (CloudEvents 1.0 type system).
      if (name == "specversion" || name == "id" || name == "source" || name == "type" ||
          name == "subject" || name == "time" || name == "datacontenttype" ||
          name == "dataschema") {
        result.error = "attribute '" + name + "' must be a string";
        return result;
      }
      if (!is_attribute_name(name)) {
        result.error = "attribute name '" + name + "' is not lower-case letters and digits";
        return result;
      }
      result.event.extensions[name] = value;
      present.push_back(name);
      continue;
    } else {
      result.error = "attribute '" + name + "' must be a string";
      return result;
    }
    if (auto problem = set_attribute(result.event, name, std::move(text)); !problem.empty()) {
      result.error = std::move(problem);
      return result;
    }
    present.push_back(name);
  }
  if (result.event.data && result.event.data_base64) {
    result.error = "'data' and 'data_base64' are mutually exclusive";
    return result;
  }
  if (auto problem = check_required(result.event, present); !problem.empty()) {
    result.error = std::move(problem);
    return result;
  }
  result.ok = true;
  return result;
}

CloudEventParse parse_binary_cloudevent(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body) {
  CloudEventParse result;
  std::vector<std::string> present;
  std::optional<std::string> content_type;
  for (const auto& [raw_name, raw_value] : headers) {
    const std::string name = lower(raw_name);
    if (name == "content-type") {
      // It becomes the datacontenttype attribute, which must be a (UTF-8) string: obs-text
      // bytes HTTP lets through would make the emitted event invalid JSON.
      if (!is_valid_utf8(raw_value)) {
        result.error = "Content-Type is not UTF-8";
        return result;
      }
      content_type = raw_value;
      continue;
    }
    if (name.size() <= 3 || name.compare(0, 3, "ce-") != 0) continue;
    const std::string attribute = name.substr(3);
    for (const auto& seen : present) {
      if (seen == attribute) {
        result.error = "header 'ce-" + attribute + "' appears more than once";
        return result;
      }
    }
    auto decoded = percent_decode(raw_value);
    if (!decoded) {
      result.error = "header 'ce-" + attribute + "' has a bad percent-encoding";
      return result;
    }
    if (!is_valid_utf8(*decoded)) {
      result.error = "header 'ce-" + attribute + "' is not UTF-8 after percent-decoding";
      return result;
    }
    if (attribute == "datacontenttype") {
      result.error = "binary mode carries datacontenttype in Content-Type, not ce-datacontenttype";
      return result;
    }
    if (auto problem = set_attribute(result.event, attribute, std::move(*decoded));
        !problem.empty()) {
      result.error = std::move(problem);
      return result;
    }
    present.push_back(attribute);
  }
  if (auto problem = check_required(result.event, present); !problem.empty()) {
    result.error = std::move(problem);
    return result;
  }
  if (content_type) result.event.datacontenttype = *content_type;
  if (!body.empty()) {
    if (!content_type || is_json_content_type(*content_type)) {
      auto parsed = intake::parse_strict_json(body, intake::StrictJsonLimits{64});
      if (!parsed.ok()) {
        result.error = "the body is not valid JSON data: " + parsed.message;
        return result;
      }
      result.event.data = std::move(parsed.value);
    } else {
      result.event.data_base64 = base64(body);
    }
  }
  result.ok = true;
  return result;
}

CloudEventMode detect_cloudevent_mode(std::string_view content_type, bool has_ce_header) {
  std::string media = lower(content_type.substr(0, content_type.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (media.rfind("application/cloudevents", 0) == 0) {
    // application/cloudevents+json; a batch (cloudevents-batch+json) is not accepted here.
    return media == "application/cloudevents+json" ? CloudEventMode::kStructured
                                                   : CloudEventMode::kNone;
  }
  return has_ce_header ? CloudEventMode::kBinary : CloudEventMode::kNone;
}

std::optional<std::string> percent_decode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hex(text[i + 1]);
    const int low = hex(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  return !intake::find_invalid_utf8(text).has_value();
}

std::string rfc3339_ms(int64_t unix_ms) {
  return http::rfc3339_ms(unix_ms);  // one format for every timestamp the API shows
}

std::optional<int64_t> parse_rfc3339_ms(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  if (!digits(t, 0, 4) || t.size() < 20 || t[4] != '-' || !digits(t, 5, 2) || t[7] != '-' ||
      !digits(t, 8, 2) || (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || !digits(t, 11, 2) ||
      t[13] != ':' || !digits(t, 14, 2) || t[16] != ':' || !digits(t, 17, 2)) {
    return std::nullopt;
  }
  auto two = [&](size_t at) { return (t[at] - '0') * 10 + (t[at + 1] - '0'); };
  const int year = two(0) * 100 + two(2);
  const int month = two(5), day = two(8), hour = two(11), minute = two(14), second = two(17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t i = 19;
  int64_t millis = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    const size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (i - start < 3) millis = millis * 10 + (t[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    for (size_t n = i - start; n < 3; ++n) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (i < t.size() && (t[i] == 'Z' || t[i] == 'z')) {
    if (i + 1 != t.size()) return std::nullopt;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-')) {
    if (i + 6 != t.size() || !digits(t, i + 1, 2) || t[i + 3] != ':' || !digits(t, i + 4, 2)) {
      return std::nullopt;
    }
    offset_minutes = (t[i] == '-' ? -1 : 1) * (two(i + 1) * 60 + two(i + 4));
  } else {
    return std::nullopt;
  }
  // Days from the civil date (Howard Hinnant's algorithm): no time zone database involved.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + doe - 719468;
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

bool is_rfc3339(std::string_view t) {
  return parse_rfc3339_ms(t).has_value();
}

}  // namespace coregate::triggers
