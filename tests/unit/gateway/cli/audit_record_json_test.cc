// The export line's timestamp and its tolerance of a detail that is not JSON.
#include "gateway/cli/audit_record_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace coregate::cli {
namespace {

TEST(Rfc3339, UtcWithMilliseconds) {
  EXPECT_EQ(rfc3339_utc_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_utc_ms(1'795'200'444'123), "2026-11-20T18:47:24.123Z");
  EXPECT_EQ(rfc3339_utc_ms(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(rfc3339_utc_ms(951'782'400'000), "2000-02-29T00:00:00.000Z");
}

TEST(AuditRecordJson, FieldsInOrderAndDetailParsed) {
  AuditRecord r{7, 1000, "ops", "exception.discarded", "exc-1", R"({"reason":"dup"})", "aa", "bb"};
  bool detail_is_json = false;
  EXPECT_EQ(audit_record_json_line(r, &detail_is_json),
            R"({"seq":7,"at":"1970-01-01T00:00:01.000Z","principal":"ops",)"
            R"("action":"exception.discarded","object_id":"exc-1","detail":{"reason":"dup"},)"
            R"("prev_hash":"aa","hash":"bb"})");
  EXPECT_TRUE(detail_is_json);
  r.detail = "{tampered";
  const auto line = boost::json::parse(audit_record_json_line(r, &detail_is_json));
  EXPECT_FALSE(detail_is_json);
  EXPECT_EQ(line.at("detail").as_string(), "{tampered");
}

}  // namespace
}  // namespace coregate::cli
