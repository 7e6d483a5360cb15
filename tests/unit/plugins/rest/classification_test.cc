#include "plugins/rest/classification.h"

#include <gtest/gtest.h>

namespace coregate::plugins::rest {
namespace {
using sdk::WriteClass;
using namespace std::chrono_literals;

HttpAnswer answer(int status, std::string body = "", HeaderList headers = {}) {
  HttpAnswer a;
  a.status = status;
  a.body = std::move(body);
  a.headers = std::move(headers);
  a.cap = 1024;
  return a;
}

const auto kNow = std::chrono::system_clock::from_time_t(1700000000);

TEST(RestClassification, StatusTable) {
  ClassificationRules rules;
  struct Row {
    int status;
    WriteClass expected;
  } rows[] = {{200, WriteClass::kApplied},   {201, WriteClass::kApplied},
              {204, WriteClass::kApplied},   {409, WriteClass::kAlreadyApplied},
              {408, WriteClass::kRetryable}, {429, WriteClass::kRetryable},
              {502, WriteClass::kRetryable}, {503, WriteClass::kRetryable},
              {504, WriteClass::kRetryable}, {500, WriteClass::kAmbiguous},
              {507, WriteClass::kAmbiguous}, {501, WriteClass::kRejected},
              {505, WriteClass::kRejected},  {400, WriteClass::kRejected},
              {401, WriteClass::kRejected},  {403, WriteClass::kRejected},
              {404, WriteClass::kRejected},  {422, WriteClass::kRejected},
              {304, WriteClass::kRejected},  {101, WriteClass::kRejected}};
  for (const auto& row : rows) {
    EXPECT_EQ(classify_answer(answer(row.status), rules, "k", kNow).write_class, row.expected)
        << row.status;
  }
}

TEST(RestClassification, ConfiguredSetsAndDedupingTargets) {
  ClassificationRules rules;
  rules.already_applied = {409, 422};
  rules.retryable = {503};
  rules.target_dedups_by_key = true;
  EXPECT_EQ(classify_answer(answer(422), rules, "k", kNow).write_class,
            WriteClass::kAlreadyApplied);
  EXPECT_EQ(classify_answer(answer(429), rules, "k", kNow).write_class, WriteClass::kRejected);
  EXPECT_EQ(classify_answer(answer(500), rules, "k", kNow).write_class, WriteClass::kRetryable);
  EXPECT_EQ(classify_transport(TransportFailure::kAfterSend, "t", rules).write_class,
            WriteClass::kRetryable);
  rules.target_dedups_by_key = false;
  EXPECT_EQ(classify_transport(TransportFailure::kAfterSend, "t", rules).write_class,
            WriteClass::kAmbiguous);
  EXPECT_EQ(classify_transport(TransportFailure::kNotSent, "t", rules).write_class,
            WriteClass::kRetryable);
}

TEST(RestClassification, RetryAfterSecondsAndDates) {
  EXPECT_EQ(parse_retry_after("120", kNow), 120000ms);
  EXPECT_EQ(parse_retry_after(" 5 ", kNow), 5000ms);
  // 1700000000 is Tue, 14 Nov 2023 22:13:20 GMT.
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", kNow), 30000ms);
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", kNow), 0ms);
  EXPECT_FALSE(parse_retry_after("soon", kNow));
  EXPECT_FALSE(parse_retry_after("-1", kNow));
  EXPECT_FALSE(parse_retry_after("99999999999", kNow));
  EXPECT_FALSE(parse_retry_after("999999999999999999999999", kNow));  // beyond int64
  // Found by the fuzzer: a two-digit year is year 14, centuries ago (it overflowed the clock).
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 14 08:49:37 GMT", kNow), 0ms);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kNow), std::chrono::hours(24 * 7));
  ClassificationRules rules;
  auto r = classify_answer(answer(429, "", {{"retry-after", "3"}}), rules, "k", kNow);
  EXPECT_EQ(r.retry_after, 3000ms);
}

TEST(RestClassification, References) {
  ReferenceRule automatic;
  EXPECT_EQ(*extract_reference(answer(201, "", {{"location", "/a/1"}}), automatic, "k").reference,
            "/a/1");
  EXPECT_EQ(*extract_reference(answer(201, R"({"id": 42})"), automatic, "k").reference, "42");
  EXPECT_EQ(*extract_reference(answer(201, "not json"), automatic, "k").reference, "k");
  ReferenceRule pointer{ReferenceRule::Source::kJsonPointer, "/data/ref", ""};
  EXPECT_EQ(*extract_reference(answer(201, R"({"data": {"ref": "R-9"}})"), pointer, "k").reference,
            "R-9");
  auto missing = extract_reference(answer(201, R"({"data": {}})"), pointer, "k");
  EXPECT_FALSE(missing.reference);
  EXPECT_NE(missing.problem.find("/data/ref"), std::string::npos);
  HttpAnswer big = answer(201, "{");
  big.body_over_cap = true;
  EXPECT_FALSE(extract_reference(big, pointer, "k").reference);
  ReferenceRule header{ReferenceRule::Source::kHeader, "", "x-ref"};
  EXPECT_EQ(*extract_reference(answer(201, "", {{"x-ref", "H"}}), header, "k").reference, "H");
  EXPECT_FALSE(extract_reference(answer(201), header, "k").reference);
  ClassificationRules rules;
  rules.reference = pointer;
  EXPECT_EQ(classify_answer(answer(201, "<html>"), rules, "k", kNow).write_class,
            WriteClass::kAmbiguous);
}

TEST(RestClassification, DiagnosticsCarryTheBodyCut) {
  std::string body(5000, 'x');
  std::string d = describe_answer(answer(422, body));
  EXPECT_EQ(d.rfind("HTTP 422: xxx", 0), 0u);
  EXPECT_LT(d.size(), 2200u);
  EXPECT_NE(d.find("(5000 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace coregate::plugins::rest
