#include "gateway/cli/audit_record_json.h"

#include <boost/json.hpp>

#include <cstdio>
#include <ctime>

namespace coregate::cli {

namespace json = boost::json;

std::string rfc3339_utc_ms(int64_t at_ms) {
  int64_t seconds = at_ms / 1000;
  int64_t millis = at_ms % 1000;
  if (millis < 0) {  // floor, so -1 ms is 23:59:59.999 of the day before
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[64];  // room for any int year, so the format can never truncate
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

std::string audit_record_json_line(const AuditRecord& record, bool* detail_is_json) {
  boost::system::error_code ec;
  json::value detail = json::parse(record.detail, ec);
  if (ec) detail = json::string(record.detail);
  if (detail_is_json != nullptr) *detail_is_json = !ec;
  json::object line;
  line["seq"] = record.seq;
  line["at"] = rfc3339_utc_ms(record.at_ms);
  line["principal"] = record.principal;
  line["action"] = record.action;
  line["object_id"] = record.object_id;
  line["detail"] = std::move(detail);
  line["prev_hash"] = record.prev_hash;
  line["hash"] = record.hash;
  return json::serialize(line);
}

}  // namespace coregate::cli
