// Every mapping operation, in both directions, with the failures an operator will meet.
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <thread>

#include "tests/unit/gateway/mapping/mapping_test_support.h"

namespace coregate::mapping {
namespace {

using testing::all_errors;
using testing::compile_fields;
using testing::run;
namespace json = boost::json;

// By value: callers pass a temporary MapResult.
MapError only_error(const MapResult& r) {
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.errors.size(), 1u) << all_errors(r);
  return r.errors.empty() ? MapError{} : r.errors.front();
}

TEST(MappingCopy, RenamesAndNestsBothWays) {
  auto m = compile_fields(R"([
    {"canonical": "/account/id", "system": "/ACCT-NO"},
    {"canonical": "/note", "system": "/detail/TEXT"}])");
  auto forward = run(*m, R"({"account": {"id": "A-1"}, "note": "hello"})", Direction::to_system);
  ASSERT_TRUE(forward.ok) << all_errors(forward);
  EXPECT_EQ(forward.output, json::parse(R"({"ACCT-NO": "A-1", "detail": {"TEXT": "hello"}})"));
  auto back = m->apply(forward.output, Direction::to_canonical);
  ASSERT_TRUE(back.ok) << all_errors(back);
  EXPECT_EQ(back.output, json::parse(R"({"account": {"id": "A-1"}, "note": "hello"})"));
}

TEST(MappingCopy, MissingSourceNamesThePathAndStep) {
  auto m = compile_fields(R"([
    {"canonical": "/account/id", "system": "/ACCT-NO"},
    {"canonical": "/amount", "system": "/AMT"}])");
  auto r = run(*m, R"({"amount": "1"})", Direction::to_system);
  const MapError e = only_error(r);
  EXPECT_EQ(e.code, MapErrorCode::missing_source);
  EXPECT_EQ(e.input_path, "/account/id");
  EXPECT_EQ(e.step, 0);
  EXPECT_EQ(e.step_target, "system /ACCT-NO");
  EXPECT_NE(e.to_string().find("step 0 (system /ACCT-NO), input /account/id: missing_source"),
            std::string::npos)
      << e.to_string();
  // null counts as missing; so does a path through a non-object.
  EXPECT_FALSE(run(*m, R"({"account": {"id": null}, "amount": "1"})", Direction::to_system).ok);
  EXPECT_FALSE(run(*m, R"({"account": "A-1", "amount": "1"})", Direction::to_system).ok);
}

TEST(MappingCopy, ReportsEveryFailureOfARecord) {
  auto m = compile_fields(R"([{"canonical": "/a", "system": "/A"},
                              {"canonical": "/b", "system": "/B"},
                              {"canonical": "/c", "system": "/C"}])");
  auto r = run(*m, R"({"b": 1})", Direction::to_system);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].step, 0);
  EXPECT_EQ(r.errors[1].step, 2);
  EXPECT_EQ(r.diagnostic("p2p").substr(0, 16), "mapping 'p2p': s");
}

TEST(MappingCopy, RejectsNonObjectInput) {
  auto m = compile_fields(R"([{"canonical": "/a", "system": "/A"}])");
  EXPECT_FALSE(run(*m, "[1]", Direction::to_system).ok);
  EXPECT_FALSE(run(*m, "\"x\"", Direction::to_canonical).ok);
}

TEST(MappingOptionalAndDefaults, OptionalSkipsDefaultsFill) {
  auto m = compile_fields(R"([
    {"canonical": "/nick", "system": "/NICK", "optional": true},
    {"canonical": "/channel", "system": "/CHAN", "default": {"system": "WEB", "canonical": "web"}}])");
  auto r = run(*m, "{}", Direction::to_system);
  ASSERT_TRUE(r.ok) << all_errors(r);
  EXPECT_EQ(r.output, json::parse(R"({"CHAN": "WEB"})"));
  auto back = run(*m, "{}", Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output, json::parse(R"({"channel": "web"})"));
}

TEST(MappingOptionalAndDefaults, AbsentAsIsASentinelBothWays) {
  auto m = compile_fields(R"([{"canonical": "/closed_on", "system": "/CLOSE-DT",
      "date": {"system": "ccyymmdd"}, "absent_as": "00000000"}])");
  auto r = run(*m, "{}", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output, json::parse(R"({"CLOSE-DT": "00000000"})"));
  auto back = run(*m, R"({"CLOSE-DT": "00000000"})", Direction::to_canonical);
  ASSERT_TRUE(back.ok) << all_errors(back);
  EXPECT_EQ(back.output, json::parse("{}"));
  // Without the sentinel, 00000000 would be an invalid date.
  auto other =
      compile_fields(R"([{"canonical": "/d", "system": "/D", "date": {"system": "ccyymmdd"}}])");
  EXPECT_EQ(only_error(run(*other, R"({"D": "00000000"})", Direction::to_canonical)).code,
            MapErrorCode::invalid_date);
}

TEST(MappingConstant, WrittenOnlyTowardsItsSide) {
  auto m = compile_fields(R"([
    {"system": "/SRC", "constant": "WF"},
    {"canonical": "/origin", "constant": "core"},
    {"canonical": "/id", "system": "/ID"}])");
  auto r = run(*m, R"({"id": 7})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output, json::parse(R"({"SRC": "WF", "ID": 7})"));
  auto back = run(*m, R"({"ID": 7, "SRC": "WF"})", Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output, json::parse(R"({"origin": "core", "id": 7})"));
}

TEST(MappingCast, StringIntegerBooleanBothWays) {
  auto m = compile_fields(R"([
    {"canonical": "/count", "system": "/CNT", "cast": {"canonical": "string", "system": "integer"}},
    {"canonical": "/vip", "system": "/VIP", "cast": {"canonical": "boolean", "system": "integer"}},
    {"canonical": "/seq", "system": "/SEQ", "cast": {"canonical": "integer", "system": "string"}}])");
  auto r = run(*m, R"({"count": "0042", "vip": true, "seq": -5})", Direction::to_system);
  ASSERT_TRUE(r.ok) << all_errors(r);
  EXPECT_EQ(r.output, json::parse(R"({"CNT": 42, "VIP": 1, "SEQ": "-5"})"));
  auto back = m->apply(r.output, Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output, json::parse(R"({"count": "42", "vip": true, "seq": -5})"));

  EXPECT_EQ(
      only_error(run(*m, R"({"count": "4.2", "vip": true, "seq": 1})", Direction::to_system)).code,
      MapErrorCode::invalid_number);
  EXPECT_EQ(
      only_error(run(*m, R"({"count": 42, "vip": true, "seq": 1})", Direction::to_system)).code,
      MapErrorCode::wrong_type);
  EXPECT_EQ(
      only_error(run(*m, R"({"CNT": 1, "VIP": 2, "SEQ": "1"})", Direction::to_canonical)).code,
      MapErrorCode::wrong_type);
  EXPECT_EQ(
      only_error(run(*m, R"({"CNT": 1, "VIP": 0, "SEQ": "x1"})", Direction::to_canonical)).code,
      MapErrorCode::invalid_number);
}

// PIC S9(5)V99: precision 7, scale 2.
const char* kAmountRule = R"([{"canonical": "/amount", "system": "/AMT",
    "decimal": {"precision": 7, "scale": 2, "rounding": "half_even"}}])";

TEST(MappingDecimal, ScalesExactlyAndRoundsByName) {
  auto m = compile_fields(kAmountRule);
  auto r = run(*m, R"({"amount": "12345.6"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("AMT"), "12345.60");
  r = run(*m, R"({"amount": "0.125"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("AMT"), "0.12");  // half_even
  r = run(*m, R"({"amount": "-99999.99"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("AMT"), "-99999.99");
}

TEST(MappingDecimal, OverflowIsAnErrorNotATruncation) {
  auto m = compile_fields(kAmountRule);
  const MapError e = only_error(run(*m, R"({"amount": "123456.78"})", Direction::to_system));
  EXPECT_EQ(e.code, MapErrorCode::decimal_overflow);
  EXPECT_EQ(e.input_path, "/amount");
  EXPECT_NE(e.message.find("123456.78 needs 6 integer digits; the system field holds 5"),
            std::string::npos)
      << e.message;
  EXPECT_NE(e.message.find("PIC S9(5)V9(2)"), std::string::npos) << e.message;
  // Rounding up can carry into a new digit: 99999.995 → 100000.00 does not fit either.
  EXPECT_EQ(only_error(run(*m, R"({"amount": "99999.995"})", Direction::to_system)).code,
            MapErrorCode::decimal_overflow);
}

TEST(MappingDecimal, UnnecessaryRoundingRefusesToDropDigits) {
  auto m = compile_fields(R"([{"canonical": "/amount", "system": "/AMT",
      "decimal": {"precision": 9, "scale": 2}}])");
  EXPECT_EQ(only_error(run(*m, R"({"amount": "1.005"})", Direction::to_system)).code,
            MapErrorCode::rounding_required);
  EXPECT_TRUE(run(*m, R"({"amount": "1.000"})", Direction::to_system).ok);
}

TEST(MappingDecimal, RefusesFloatsAndGarbage) {
  auto m = compile_fields(kAmountRule);
  EXPECT_EQ(only_error(run(*m, R"({"amount": 12.5})", Direction::to_system)).code,
            MapErrorCode::invalid_number);
  EXPECT_EQ(only_error(run(*m, R"({"amount": "12,50"})", Direction::to_system)).code,
            MapErrorCode::invalid_number);
  EXPECT_EQ(only_error(run(*m, R"({"amount": "1e3"})", Direction::to_system)).code,
            MapErrorCode::invalid_number);
  EXPECT_EQ(only_error(run(*m, R"({"amount": true})", Direction::to_system)).code,
            MapErrorCode::wrong_type);
}

TEST(MappingDecimal, MinorUnitsAndUnsignedBothWays) {
  auto m = compile_fields(R"([{"canonical": "/amount", "system": "/AMT_CENTS",
      "decimal": {"precision": 11, "scale": 2, "signed": false, "system": "minor_units"}}])");
  auto r = run(*m, R"({"amount": "150.5"})", Direction::to_system);
  ASSERT_TRUE(r.ok) << all_errors(r);
  EXPECT_EQ(r.output.at("AMT_CENTS"), 15050);
  auto back = run(*m, R"({"AMT_CENTS": 15050})", Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output.at("amount"), "150.50");
  EXPECT_EQ(only_error(run(*m, R"({"amount": "-1"})", Direction::to_system)).code,
            MapErrorCode::negative_unsigned);
  // Reading a system value wider than the declared precision is an error too.
  EXPECT_EQ(only_error(run(*m, R"({"AMT_CENTS": 1000000000000})", Direction::to_canonical)).code,
            MapErrorCode::decimal_overflow);
}

TEST(MappingDecimal, CanonicalScaleOnTheWayBack) {
  auto m = compile_fields(R"([{"canonical": "/rate", "system": "/RATE",
      "decimal": {"precision": 5, "scale": 4, "canonical_scale": 2, "rounding": "half_up"}}])");
  auto back = run(*m, R"({"RATE": "1.2350"})", Direction::to_canonical);
  ASSERT_TRUE(back.ok) << all_errors(back);
  EXPECT_EQ(back.output.at("rate"), "1.24");
}

TEST(MappingDate, IsoToCcyymmddAndBack) {
  auto m = compile_fields(R"([{"canonical": "/due", "system": "/DUE-DT",
      "date": {"canonical": "iso_date", "system": "ccyymmdd"}}])");
  auto r = run(*m, R"({"due": "2024-02-29"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("DUE-DT"), "20240229");
  auto back = m->apply(r.output, Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output.at("due"), "2024-02-29");
}

TEST(MappingDate, InvalidCalendarDatesAreErrors) {
  auto m = compile_fields(R"([{"canonical": "/due", "system": "/DUE-DT",
      "date": {"canonical": "iso_date", "system": "ccyymmdd"}}])");
  for (const char* bad :
       {"2026-02-30", "2026-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "0000-01-01",
        "2026-2-3", "20260203", "2026/02/03", "2026-02-03T00:00:00Z"}) {
    const MapError e =
        only_error(run(*m, std::string(R"({"due": ")") + bad + "\"}", Direction::to_system));
    EXPECT_EQ(e.code, MapErrorCode::invalid_date) << bad;
  }
  const MapError e = only_error(run(*m, R"({"due": "2026-02-30"})", Direction::to_system));
  EXPECT_NE(e.message.find("2026-02 has no day 30"), std::string::npos) << e.message;
  EXPECT_EQ(only_error(run(*m, R"({"DUE-DT": "20260230"})", Direction::to_canonical)).code,
            MapErrorCode::invalid_date);
}

TEST(MappingDate, JulianWithValidationAndPivot) {
  auto m = compile_fields(R"([
    {"canonical": "/a", "system": "/A", "date": {"system": "ccyyddd"}},
    {"canonical": "/b", "system": "/B", "date": {"system": "yyddd", "pivot_year": 1950}}])");
  auto r = run(*m, R"({"a": "2024-12-31", "b": "1999-02-01"})", Direction::to_system);
  ASSERT_TRUE(r.ok) << all_errors(r);
  EXPECT_EQ(r.output, json::parse(R"({"A": "2024366", "B": "99032"})"));
  auto back = m->apply(r.output, Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output, json::parse(R"({"a": "2024-12-31", "b": "1999-02-01"})"));

  // Day 366 of a common year, day 000, day 367.
  for (const char* bad : {"2026366", "2026000", "2024367"}) {
    auto bad_run =
        run(*m, std::string(R"({"A": ")") + bad + R"(", "B": "26001"})", Direction::to_canonical);
    EXPECT_EQ(only_error(bad_run).code, MapErrorCode::invalid_julian_day) << bad;
  }
  auto julian = run(*m, R"({"A": "2026366", "B": "26001"})", Direction::to_canonical);
  EXPECT_NE(julian.errors.at(0).message.find("2026 has 365 days"), std::string::npos);
  // Pivot 1950: 49 → 2049, 50 → 1950; 2050 cannot be written as YYDDD.
  auto pivot = run(*m, R"({"A": "2026001", "B": "49001"})", Direction::to_canonical);
  ASSERT_TRUE(pivot.ok);
  EXPECT_EQ(pivot.output.at("b"), "2049-01-01");
  EXPECT_EQ(
      only_error(run(*m, R"({"a": "2024-01-01", "b": "2050-01-01"})", Direction::to_system)).code,
      MapErrorCode::year_out_of_window);
}

TEST(MappingDate, NumericColumnsLoseLeadingZeros) {
  auto m = compile_fields(R"([{"canonical": "/d", "system": "/D",
      "date": {"system": "ccyymmdd", "system_as": "integer"}}])");
  auto r = run(*m, R"({"d": "2026-03-01"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("D"), 20260301);
  auto back = run(*m, R"({"D": 20260301})", Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output.at("d"), "2026-03-01");
  EXPECT_EQ(only_error(run(*m, R"({"D": 123456789})", Direction::to_canonical)).code,
            MapErrorCode::invalid_date);
}

TEST(MappingDate, DateTimeNormalisedToUtc) {
  auto m = compile_fields(R"([{"canonical": "/at", "system": "/TS",
      "date": {"canonical": "iso_datetime", "system": "ccyymmddhhmmss"}}])");
  auto r = run(*m, R"({"at": "2026-03-01T01:30:00+02:00"})", Direction::to_system);
  ASSERT_TRUE(r.ok) << all_errors(r);
  EXPECT_EQ(r.output.at("TS"), "20260228233000");
  auto back = m->apply(r.output, Direction::to_canonical);
  EXPECT_EQ(back.output.at("at"), "2026-02-28T23:30:00Z");
  for (const char* bad : {"2026-03-01T24:00:00Z", "2026-03-01T10:00:00", "2026-02-30T10:00:00Z",
                          "2026-03-01 10:00:00Z", "2026-03-01T10:00:00.123Z"}) {
    EXPECT_EQ(
        only_error(run(*m, std::string(R"({"at": ")") + bad + "\"}", Direction::to_system)).code,
        MapErrorCode::invalid_date)
        << bad;
  }
}

TEST(MappingCodes, TableBothWaysWithDefaultsOrErrors) {
  auto m = compile_fields(R"([{"canonical": "/status", "system": "/ST",
      "codes": {"table": {"returned": "R", "paid": "P", "pending": "N"}}}])");
  auto back = run(*m, R"({"ST": "R"})", Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output.at("status"), "returned");
  auto r = run(*m, R"({"status": "paid"})", Direction::to_system);
  EXPECT_EQ(r.output.at("ST"), "P");
  const MapError e = only_error(run(*m, R"({"ST": "X"})", Direction::to_canonical));
  EXPECT_EQ(e.code, MapErrorCode::unknown_code);
  EXPECT_NE(e.message.find("unknown system code 'X'"), std::string::npos) << e.message;
  EXPECT_EQ(only_error(run(*m, R"({"status": "Returned"})", Direction::to_system)).code,
            MapErrorCode::unknown_code);

  auto with_default = compile_fields(R"([{"canonical": "/status", "system": "/ST",
      "codes": {"table": {"returned": "R"}, "default_canonical": "other", "default_system": "?"}}])");
  EXPECT_EQ(run(*with_default, R"({"ST": "Z"})", Direction::to_canonical).output.at("status"),
            "other");
  EXPECT_EQ(run(*with_default, R"({"status": "x"})", Direction::to_system).output.at("ST"), "?");
}

TEST(MappingCodes, IntegerSystemCodes) {
  auto m = compile_fields(R"([{"canonical": "/reason", "system": "/RC",
      "codes": {"table": {"insufficient_funds": 1, "account_closed": 2}}}])");
  EXPECT_EQ(run(*m, R"({"RC": 2})", Direction::to_canonical).output.at("reason"), "account_closed");
  EXPECT_EQ(run(*m, R"({"reason": "insufficient_funds"})", Direction::to_system).output.at("RC"),
            1);
  EXPECT_EQ(only_error(run(*m, R"({"RC": "2"})", Direction::to_canonical)).code,
            MapErrorCode::unknown_code);
}

TEST(MappingConcat, SeparatorRoundTripAndAmbiguity) {
  auto m = compile_fields(R"([{"canonical": ["/name/first", "/name/last"], "system": "/FULL-NAME",
      "concat": {"separator": "|"}}])");
  auto r = run(*m, R"({"name": {"first": "Ana", "last": "da Silva"}})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("FULL-NAME"), "Ana|da Silva");
  auto back = m->apply(r.output, Direction::to_canonical);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.output, json::parse(R"({"name": {"first": "Ana", "last": "da Silva"}})"));
  // A first part holding the separator would not split back.
  EXPECT_EQ(
      only_error(run(*m, R"({"name": {"first": "A|na", "last": "x"}})", Direction::to_system)).code,
      MapErrorCode::split_mismatch);
  EXPECT_EQ(only_error(run(*m, R"({"FULL-NAME": "nobar"})", Direction::to_canonical)).code,
            MapErrorCode::split_mismatch);
  EXPECT_EQ(only_error(run(*m, R"({"name": {"first": "Ana"}})", Direction::to_system)).code,
            MapErrorCode::missing_source);
}

TEST(MappingConcat, FixedWidthPieces) {
  auto m = compile_fields(R"([{"canonical": ["/branch", "/number"], "system": "/ACCT",
      "concat": {"widths": [4, 6]}}])");
  auto r = run(*m, R"({"branch": "001", "number": "12345"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("ACCT"), "001 12345 ");
  auto back = m->apply(r.output, Direction::to_canonical);
  EXPECT_EQ(back.output, json::parse(R"({"branch": "001", "number": "12345"})"));
  EXPECT_EQ(only_error(run(*m, R"({"branch": "00001", "number": "1"})", Direction::to_system)).code,
            MapErrorCode::too_long);
}

TEST(MappingSplit, OneCanonicalIntoManySystemFields) {
  auto m = compile_fields(R"([{"canonical": "/postcode", "system": ["/PC-OUT", "/PC-IN"],
      "split": {"separator": " "}}])");
  auto r = run(*m, R"({"postcode": "SW1A 1AA"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output, json::parse(R"({"PC-OUT": "SW1A", "PC-IN": "1AA"})"));
  auto back = m->apply(r.output, Direction::to_canonical);
  EXPECT_EQ(back.output.at("postcode"), "SW1A 1AA");
}

TEST(MappingText, PadsTrimsAndRefusesTooLong) {
  auto m = compile_fields(R"([
    {"canonical": "/name", "system": "/NAME", "text": {"width": 10}},
    {"canonical": "/ref", "system": "/REF", "text": {"width": 6, "align": "right", "pad": "0"}}])");
  auto r = run(*m, R"({"name": "Smith", "ref": "42"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output, json::parse(R"({"NAME": "Smith     ", "REF": "000042"})"));
  auto back = m->apply(r.output, Direction::to_canonical);
  EXPECT_EQ(back.output, json::parse(R"({"name": "Smith", "ref": "42"})"));

  const MapError e =
      only_error(run(*m, R"({"name": "Bartholomew-Smith", "ref": "1"})", Direction::to_system));
  EXPECT_EQ(e.code, MapErrorCode::too_long);
  EXPECT_NE(e.message.find("17 characters; the system field is 10 wide"), std::string::npos)
      << e.message;
  // Width counts characters, not bytes: ten 'é' fit.
  EXPECT_TRUE(run(*m, R"({"name": "éééééééééé", "ref": "1"})", Direction::to_system).ok);
}

TEST(MappingText, TruncatesOnlyWhenTold) {
  auto m = compile_fields(R"([{"canonical": "/memo", "system": "/MEMO",
      "text": {"width": 5, "truncate": true}}])");
  auto r = run(*m, R"({"memo": "Promise kept"})", Direction::to_system);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.at("MEMO"), "Promi");
}

TEST(MappingCharset, NonAsciiBoundForEbcdicIsAnError) {
  auto m = compile_fields(R"([{"canonical": "/name", "system": "/NAME", "text": {"width": 12}}])",
                          R"("system": {"charset": "ebcdic"}, )");
  EXPECT_TRUE(run(*m, R"({"name": "O'Neil-Smith"})", Direction::to_system).ok);
  const MapError e = only_error(run(*m, R"({"name": "Zoë"})", Direction::to_system));
  EXPECT_EQ(e.code, MapErrorCode::unrepresentable_character);
  EXPECT_NE(e.message.find("'ë' (U+00EB) at character 3"), std::string::npos) << e.message;
  // Variant characters (different bytes across EBCDIC code pages) are refused too.
  EXPECT_EQ(only_error(run(*m, R"({"name": "a[1]"})", Direction::to_system)).code,
            MapErrorCode::unrepresentable_character);
  // Reading from the system is not checked (the codec already decoded it).
  EXPECT_TRUE(run(*m, R"({"NAME": "Zoë"})", Direction::to_canonical).ok);
}

TEST(MappingCharset, AsciiPerRule) {
  auto m = compile_fields(R"([{"canonical": "/a", "system": "/A", "charset": "ascii"}])");
  EXPECT_TRUE(run(*m, R"({"a": "x{y}~"})", Direction::to_system).ok);
  EXPECT_EQ(only_error(run(*m, R"({"a": "tab\there"})", Direction::to_system)).code,
            MapErrorCode::unrepresentable_character);
}

TEST(MappingCharset, NamedEbcdicCodePageThroughTheCopybookCodec) {
#ifndef COREGATE_MAPPING_WITH_COPYBOOK
  GTEST_SKIP() << "built without the copybook codec (sdk/codecs/copybook)";
#else
  auto m = compile_fields(R"([{"canonical": "/name", "system": "/NAME"}])",
                          R"("system": {"charset": "cp037"}, )");
  EXPECT_TRUE(run(*m, R"({"name": "Zoë [x]"})", Direction::to_system).ok);  // cp037 has ë, [ ]
  const MapError e = only_error(run(*m, R"({"name": "Zoë €"})", Direction::to_system));
  EXPECT_EQ(e.code, MapErrorCode::unrepresentable_character);
  EXPECT_NE(e.message.find("U+20AC"), std::string::npos) << e.message;
#endif
}

TEST(MappingWhen, ConditionsChooseAlternatives) {
  auto m = compile_fields(R"([
    {"system": "/CHAN", "constant": "S", "when": {"canonical": "/channel", "equals": "sms"}},
    {"system": "/CHAN", "constant": "V", "when": {"canonical": "/channel", "in": ["voice", "ivr"]}},
    {"system": "/CHAN", "constant": "O", "when": {"canonical": "/channel", "not_in": ["sms", "voice", "ivr"]}},
    {"canonical": "/note", "system": "/NOTE", "direction": "to_system",
     "when": {"canonical": "/note", "exists": true}},
    {"system": "/NOTE", "constant": "-", "when": {"canonical": "/note", "exists": false}}])");
  EXPECT_EQ(run(*m, R"({"channel": "sms"})", Direction::to_system).output,
            json::parse(R"({"CHAN": "S", "NOTE": "-"})"));
  EXPECT_EQ(run(*m, R"({"channel": "ivr", "note": "n"})", Direction::to_system).output,
            json::parse(R"({"CHAN": "V", "NOTE": "n"})"));
  EXPECT_EQ(run(*m, R"({"channel": "web"})", Direction::to_system).output.at("CHAN"), "O");
  EXPECT_EQ(run(*m, R"({})", Direction::to_system).output.at("CHAN"), "O");
}

TEST(MappingWhen, SystemSideConditionsWhenReading) {
  auto m = compile_fields(R"([
    {"canonical": "/returned_on", "system": "/EVT-DT", "direction": "to_canonical",
     "date": {"system": "ccyymmdd"}, "when": {"system": "/EVT-TYPE", "not_equals": "P"}}])");
  EXPECT_EQ(run(*m, R"({"EVT-TYPE": "R", "EVT-DT": "20260105"})", Direction::to_canonical).output,
            json::parse(R"({"returned_on": "2026-01-05"})"));
  EXPECT_EQ(run(*m, R"({"EVT-TYPE": "P", "EVT-DT": "20260105"})", Direction::to_canonical).output,
            json::parse("{}"));
  EXPECT_FALSE(m->supports(Direction::to_system));
}

TEST(MappingStorage, OutputUsesTheCallersMemoryResource) {
  auto m = compile_fields(
      R"([{"canonical": "/a/b", "system": "/X/Y"}, {"canonical": "/c", "system": "/C"}])");
  boost::json::monotonic_resource resource;
  boost::json::storage_ptr storage(&resource);
  auto r = m->apply(json::parse(R"({"a": {"b": "a string longer than the small buffer"}, "c": 1})"),
                    Direction::to_system, storage);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.output.storage().get(), storage.get());
  EXPECT_EQ(r.output.at("X").storage().get(), storage.get());
  EXPECT_EQ(r.output.at("X").at("Y"), "a string longer than the small buffer");
}

TEST(MappingConcurrency, ApplyFromManyThreads) {
  auto m = compile_fields(kAmountRule);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string amount = std::to_string(t * 1000 + i) + ".5";
        auto r = run(*m, R"({"amount": ")" + amount + "\"}", Direction::to_system);
        if (!r.ok || r.output.at("AMT") != json::value(amount + "0")) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace coregate::mapping
