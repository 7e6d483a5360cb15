#include "gateway/schema/format_checks.h"

#include <gtest/gtest.h>

namespace coregate::schema::detail {
namespace {

TEST(SchemaFormatChecks, Dates) {
  EXPECT_TRUE(is_valid_date("2026-02-28"));
  EXPECT_TRUE(is_valid_date("2024-02-29"));
  EXPECT_FALSE(is_valid_date("2026-02-29"));
  EXPECT_FALSE(is_valid_date("2026-02-30"));
  EXPECT_FALSE(is_valid_date("2026-13-01"));
  EXPECT_FALSE(is_valid_date("2026-1-01"));
  EXPECT_FALSE(is_valid_date("20260101"));
  EXPECT_FALSE(is_valid_date("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(is_valid_date("1900-02-29"));
  EXPECT_TRUE(is_valid_date("2000-02-29"));
}

TEST(SchemaFormatChecks, DateTimes) {
  EXPECT_TRUE(is_valid_date_time("2026-03-02T10:41:07+02:00"));
  EXPECT_TRUE(is_valid_date_time("2026-03-02t10:41:07.123z"));
  EXPECT_TRUE(is_valid_date_time("1998-12-31T23:59:60Z"));
  EXPECT_TRUE(is_valid_date_time("1998-12-31T15:59:60-08:00"));
  EXPECT_FALSE(is_valid_date_time("1998-12-31T23:58:60Z"));
  EXPECT_FALSE(is_valid_date_time("2026-03-02T10:41:07"));  // offset is mandatory
  EXPECT_FALSE(is_valid_date_time("2026-03-02 10:41:07Z"));
  EXPECT_FALSE(is_valid_date_time("2026-02-30T10:41:07Z"));
  EXPECT_FALSE(is_valid_date_time("2026-03-02T24:00:00Z"));
  EXPECT_FALSE(is_valid_date_time("2026-03-02T10:41:07+02"));
  EXPECT_FALSE(is_valid_date_time("2026-03-02T10:41:07.Z"));
}

TEST(SchemaFormatChecks, Emails) {
  EXPECT_TRUE(is_valid_email("thandi.mokoena@example.co.za"));
  EXPECT_TRUE(is_valid_email("\"joe bloggs\"@example.com"));
  EXPECT_TRUE(is_valid_email("a@[127.0.0.1]"));
  EXPECT_TRUE(is_valid_email("a@[IPv6:::1]"));
  EXPECT_FALSE(is_valid_email("a@[127.0.0.300]"));
  EXPECT_FALSE(is_valid_email("no-at-sign"));
  EXPECT_FALSE(is_valid_email(".a@example.com"));
  EXPECT_FALSE(is_valid_email("a..b@example.com"));
  EXPECT_FALSE(is_valid_email("a@-example.com"));
  EXPECT_FALSE(is_valid_email("a b@example.com"));
  EXPECT_FALSE(is_valid_email("a@"));
}

TEST(SchemaFormatChecks, Uuids) {
  EXPECT_TRUE(is_valid_uuid("2eb8aa08-aa98-11ea-b4aa-73b441d16380"));
  EXPECT_TRUE(is_valid_uuid("2EB8AA08-AA98-11EA-B4AA-73B441D16380"));
  EXPECT_FALSE(is_valid_uuid("2eb8aa08aa9811eab4aa73b441d16380"));
  EXPECT_FALSE(is_valid_uuid("2eb8aa08-aa98-11ea-b4aa-73b441d1638g"));
  EXPECT_FALSE(is_valid_uuid("{2eb8aa08-aa98-11ea-b4aa-73b441d16380}"));
}

TEST(SchemaFormatChecks, OnlyFourFormatsAreKnown) {
  EXPECT_TRUE(parse_format_name("date"));
  EXPECT_TRUE(parse_format_name("uuid"));
  EXPECT_FALSE(parse_format_name("ipv4"));
  EXPECT_FALSE(parse_format_name("Date"));
}

}  // namespace
}  // namespace coregate::schema::detail
