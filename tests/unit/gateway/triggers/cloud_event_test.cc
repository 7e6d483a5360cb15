#include "gateway/triggers/cloud_event.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace coregate::triggers {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(StructuredCloudEvent, AcceptsAMinimalEventAndKeepsExtensions) {
  auto parsed = parse_structured_cloudevent(
      R"({"specversion":"1.0","id":"e-1","source":"/crm","type":"crm.note","subject":"acct-1",)"
      R"("time":"2026-03-02T00:07:31Z","traceparent":"00-abc","count":3,"data":{"a":1}})");
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.event.id, "e-1");
  EXPECT_EQ(parsed.event.source, "/crm");
  EXPECT_EQ(parsed.event.subject.value_or(""), "acct-1");
  EXPECT_EQ(parsed.event.extensions.at("traceparent"), "00-abc");
  EXPECT_EQ(parsed.event.extensions.at("count"), 3);
  ASSERT_TRUE(parsed.event.data.has_value());
  EXPECT_EQ(parsed.event.data->at("a"), 1);
}

TEST(StructuredCloudEvent, RefusesEachMissingRequiredAttribute) {
  const std::string full = R"({"specversion":"1.0","id":"e","source":"/s","type":"t"})";
  for (const std::string missing : {"specversion", "id", "source", "type"}) {
    auto doc = boost::json::parse(full).as_object();
    doc.erase(missing);
    auto parsed = parse_structured_cloudevent(boost::json::serialize(doc));
    EXPECT_FALSE(parsed.ok) << missing;
    EXPECT_NE(parsed.error.find(missing), std::string::npos) << parsed.error;
  }
}

TEST(StructuredCloudEvent, RefusesBadInput) {
  const char* bad[] = {
      R"({"specversion":"0.3","id":"e","source":"/s","type":"t"})",  // version
      R"({"specversion":"1.0","id":"","source":"/s","type":"t"})",   // empty id
      R"({"specversion":"1.0","id":"e","source":"/s","type":"t","Bad-Name":"x"})",
      R"({"specversion":"1.0","id":"e","source":"/s","type":"t","time":"yesterday"})",
      R"({"specversion":"1.0","id":1,"source":"/s","type":"t"})",             // id not a string
      R"({"specversion":"1.0","id":"e","id":"f","source":"/s","type":"t"})",  // duplicate
      R"({"specversion":"1.0","id":"e","source":"/s","type":"t","data":1,"data_base64":"AA=="})",
      R"([1,2])",
      R"({"specversion":"1.0","id":"e","source":"/s","type":"t")",                   // truncated
      "{\"specversion\":\"1.0\",\"id\":\"\xff\",\"source\":\"/s\",\"type\":\"t\"}",  // UTF-8
  };
  for (const char* body : bad) {
    EXPECT_FALSE(parse_structured_cloudevent(body).ok) << body;
  }
}

TEST(BinaryCloudEvent, DecodesPercentEncodedHeadersAndJsonBody) {
  Headers headers{{"Ce-Specversion", "1.0"},        {"ce-id", "e-2"},
                  {"ce-source", "/core%20banking"}, {"ce-type", "debit.failed"},
                  {"ce-subject", "caf%C3%A9"},      {"Content-Type", "application/json"}};
  auto parsed = parse_binary_cloudevent(headers, R"({"order":"DO-1"})");
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.event.source, "/core banking");
  EXPECT_EQ(parsed.event.subject.value_or(""), "caf\xC3\xA9");
  EXPECT_EQ(parsed.event.datacontenttype.value_or(""), "application/json");
  EXPECT_EQ(parsed.event.data->at("order"), "DO-1");
}

TEST(BinaryCloudEvent, KeepsNonJsonDataAsBase64) {
  Headers headers{{"ce-specversion", "1.0"},
                  {"ce-id", "e"},
                  {"ce-source", "/s"},
                  {"ce-type", "t"},
                  {"content-type", "application/octet-stream"}};
  auto parsed = parse_binary_cloudevent(headers, std::string("\x00\x01\x02", 3));
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.event.data_base64.value_or(""), "AAEC");
  EXPECT_FALSE(parsed.event.data.has_value());
}

TEST(BinaryCloudEvent, RefusesBadEncodingAndMissingAttributes) {
  const Headers base{
      {"ce-specversion", "1.0"}, {"ce-id", "e"}, {"ce-source", "/s"}, {"ce-type", "t"}};
  auto with = [&](std::string name, std::string value) {
    Headers h = base;
    for (auto& [n, v] : h) {
      if (n == name) v = value;
    }
    return h;
  };
  EXPECT_FALSE(parse_binary_cloudevent(with("ce-id", "bad%zzescape"), "").ok);
  EXPECT_FALSE(parse_binary_cloudevent(with("ce-id", "trailing%4"), "").ok);
  EXPECT_FALSE(parse_binary_cloudevent(with("ce-id", "%FF%FE"), "").ok);  // not UTF-8
  EXPECT_FALSE(parse_binary_cloudevent(with("ce-specversion", "2.0"), "").ok);
  for (const char* missing : {"ce-specversion", "ce-id", "ce-source", "ce-type"}) {
    Headers h;
    for (const auto& item : base) {
      if (item.first != missing) h.push_back(item);
    }
    auto parsed = parse_binary_cloudevent(h, "");
    EXPECT_FALSE(parsed.ok) << missing;
  }
  Headers twice = base;
  twice.emplace_back("CE-ID", "again");
  EXPECT_FALSE(parse_binary_cloudevent(twice, "").ok);
  EXPECT_FALSE(parse_binary_cloudevent(base, "{not json").ok);
  // Found by the fuzzer: a Content-Type with obs-text bytes became an invalid UTF-8 attribute.
  Headers bad_type = base;
  bad_type.emplace_back("Content-Type", "app\x9flication/json");
  EXPECT_FALSE(parse_binary_cloudevent(bad_type, "{}").ok);
}

TEST(CloudEventMode, DetectsStructuredAndBinary) {
  EXPECT_EQ(detect_cloudevent_mode("application/cloudevents+json; charset=utf-8", false),
            CloudEventMode::kStructured);
  EXPECT_EQ(detect_cloudevent_mode("application/json", true), CloudEventMode::kBinary);
  EXPECT_EQ(detect_cloudevent_mode("application/json", false), CloudEventMode::kNone);
  EXPECT_EQ(detect_cloudevent_mode("application/cloudevents-batch+json", false),
            CloudEventMode::kNone);
}

TEST(CloudEventJson, RoundTripsThroughTheStructuredParser) {
  CloudEvent event;
  event.id = "abc";
  event.source = "/coregate/sources/x";
  event.type = "coregate.trigger.payment.failed";
  event.subject = "4000123456";
  event.time = rfc3339_ms(1772409451123);
  event.datacontenttype = "application/json";
  event.data = boost::json::parse(R"({"k":"v"})");
  auto parsed = parse_structured_cloudevent(to_structured_json(event));
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_EQ(parsed.event.time.value_or(""), "2026-03-01T23:57:31.123Z");
  EXPECT_EQ(*parsed.event.data, *event.data);
}

TEST(PercentDecode, HandlesEdges) {
  EXPECT_EQ(percent_decode("a%2Bb+c").value_or("?"), "a+b+c");
  EXPECT_EQ(percent_decode("%41%42").value_or("?"), "AB");
  EXPECT_FALSE(percent_decode("%").has_value());
  EXPECT_FALSE(percent_decode("%4").has_value());
  EXPECT_FALSE(percent_decode("%G1").has_value());
}

TEST(Rfc3339, AcceptsAndRefuses) {
  EXPECT_TRUE(is_rfc3339("2026-03-02T00:07:31Z"));
  EXPECT_TRUE(is_rfc3339("2026-03-02T00:07:31.5+02:00"));
  EXPECT_FALSE(is_rfc3339("2026-13-02T00:07:31Z"));
  EXPECT_FALSE(is_rfc3339("2026-03-02T00:07:31"));
  EXPECT_FALSE(is_rfc3339("2026-03-02"));
}

TEST(Rfc3339, ParsesToUnixMilliseconds) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ms("2026-03-02T00:07:31.123Z"), 1772410051123);
  EXPECT_EQ(parse_rfc3339_ms("2026-03-02T02:07:31.1234+02:00"), 1772410051123);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T23:59:59.5-01:00"), 1709254799500);
  // It agrees with the formatter for any instant.
  for (int64_t ms : {int64_t{0}, int64_t{951782400000}, int64_t{1795378350895}}) {
    EXPECT_EQ(parse_rfc3339_ms(rfc3339_ms(ms)), ms) << ms;
  }
  EXPECT_FALSE(parse_rfc3339_ms("2026-03-02T00:07:31"));
  EXPECT_FALSE(parse_rfc3339_ms("2026-03-02T00:07:31.Z"));
  EXPECT_FALSE(parse_rfc3339_ms("2026-03-02T00:07:31+0200"));
}

}  // namespace
}  // namespace coregate::triggers
