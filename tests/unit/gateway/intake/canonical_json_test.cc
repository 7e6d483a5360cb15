#include "gateway/intake/canonical_json.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace coregate::intake {
namespace {

TEST(CanonicalJson, SortsMembersAndDropsWhitespace) {
  auto a = boost::json::parse(R"({"b": 1, "a": {"y": [1, 2], "x": "s"}})");
  auto b = boost::json::parse(R"({"a":{"x":"s","y":[1,2]},"b":1})");
  EXPECT_EQ(canonical_json(a), R"({"a":{"x":"s","y":[1,2]},"b":1})");
  EXPECT_EQ(fingerprint_of(a), fingerprint_of(b));
}

TEST(CanonicalJson, DifferentContentDifferentFingerprint) {
  auto base = fingerprint_of(boost::json::parse(R"({"amount":"1.50"})"));
  EXPECT_NE(base, fingerprint_of(boost::json::parse(R"({"amount":"1.5"})")));
  EXPECT_NE(base, fingerprint_of(boost::json::parse(R"({"amount":1.5})")));
  EXPECT_NE(fingerprint_of(boost::json::parse("[1,2]")),
            fingerprint_of(boost::json::parse("[2,1]")));
}

}  // namespace
}  // namespace coregate::intake
