// apply() builds its output by copying the plan's output template and filling members by position
// (plan.h OutputTemplate). These tests hold it to the result of inserting by key in step order —
// the same plan with the template switched off — on every record shape: all outputs written, some
// left out (optional, conditional, failed), nested parents whose first member is missing, and
// errors part-way, comparing the serialised output (member order included), ok and every error.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <random>

#include "gateway/mapping/compiler.h"
#include "gateway/mapping/plan.h"
#include "tests/unit/gateway/mapping/mapping_test_support.h"

namespace coregate::mapping::testing {
namespace {

namespace json = boost::json;

// The compiled mapping twice: as compiled (template on where usable) and with the template off.
struct Pair {
  std::shared_ptr<const detail::Plan> plan;
  std::shared_ptr<const CompiledMapping> with_template;
  std::shared_ptr<const CompiledMapping> by_key;
};

Pair compile_pair(const std::string& fields) {
  const auto document = json::parse(R"({"name": "t", "fields": )" + fields + "}");
  Pair pair;
  pair.plan = detail::compile_plan(document, "t.json", CompileOptions{}, {});
  pair.with_template = std::make_shared<CompiledMapping>(pair.plan);
  // The copy's step pointers still point into pair.plan, which the pair keeps alive.
  auto plain = std::make_shared<detail::Plan>(*pair.plan);
  plain->to_system_template = detail::OutputTemplate{};
  plain->to_canonical_template = detail::OutputTemplate{};
  pair.by_key = std::make_shared<CompiledMapping>(plain);
  return pair;
}

std::string describe(const MapResult& r) {
  std::string text = (r.ok ? "ok " : "failed ") + json::serialize(r.output);
  for (const auto& e : r.errors) text += "\n" + e.to_string();
  return text;
}

void expect_same(const Pair& pair, const json::value& input, Direction direction) {
  const MapResult a = pair.with_template->apply(input, direction);
  const MapResult b = pair.by_key->apply(input, direction);
  EXPECT_EQ(describe(a), describe(b)) << "input " << json::serialize(input);
  // Storage is the caller's either way.
  json::monotonic_resource resource;
  json::storage_ptr storage(&resource);
  const MapResult c = pair.with_template->apply(input, direction, storage);
  EXPECT_EQ(describe(c), describe(b));
  EXPECT_EQ(c.output.storage().get(), &resource);
}

constexpr const char* kFields = R"([
  {"canonical": "/a/x", "system": "/AX", "optional": true},
  {"canonical": "/b", "system": "/B", "optional": true, "text": {"width": 6}},
  {"canonical": "/a/y", "system": "/AY", "optional": true},
  {"canonical": "/c/d/e", "system": "/CDE", "optional": true,
   "decimal": {"precision": 7, "scale": 2, "rounding": "half_even"}},
  {"canonical": ["/n/first", "/n/last"], "system": "/NAME", "concat": {"separator": "|"},
   "optional": true},
  {"canonical": "/pc", "system": ["/PC/OUT", "/PC/IN"], "split": {"separator": " "},
   "optional": true},
  {"canonical": "/dt", "system": "/DT", "date": {"system": "ccyymmdd"}, "optional": true},
  {"canonical": "/st", "system": "/ST", "codes": {"table": {"active": "A", "closed": "C"}}},
  {"canonical": "/cnt", "system": "/CNT", "cast": {"canonical": "integer", "system": "string"},
   "optional": true},
  {"system": "/K", "constant": "X"},
  {"canonical": "/k2", "constant": "Y"},
  {"canonical": "/z/last", "system": "/Z", "default": {"system": "none", "canonical": "none"}}
])";

TEST(OutputTemplate, TheCompilerLaysOutEveryOutputOnce) {
  auto pair = compile_pair(kFields);
  const auto& to_system = pair.plan->to_system_template;
  ASSERT_TRUE(to_system.usable);
  EXPECT_FALSE(to_system.flat);  // /PC/OUT
  EXPECT_EQ(json::serialize(to_system.record),
            R"({"AX":null,"B":null,"AY":null,"CDE":null,"NAME":null,"PC":{"OUT":null,"IN":null},)"
            R"("DT":null,"ST":null,"CNT":null,"K":null,"Z":null})");
  const auto& to_canonical = pair.plan->to_canonical_template;
  ASSERT_TRUE(to_canonical.usable);
  EXPECT_EQ(to_canonical.paths.size(), 12u);
}

TEST(OutputTemplate, ConditionalAlternativesBuildByKey) {
  auto pair = compile_pair(R"([
    {"system": "/CHAN", "constant": "S", "when": {"canonical": "/channel", "equals": "sms"}},
    {"canonical": "/x", "system": "/X"},
    {"system": "/CHAN", "constant": "O", "when": {"canonical": "/channel", "not_equals": "sms"}}
  ])");
  EXPECT_FALSE(pair.plan->to_system_template.usable);
  // The alternative that applies decides where CHAN lands: after X when it is the later rule.
  auto r =
      pair.with_template->apply(json::parse(R"({"channel": "web", "x": 1})"), Direction::to_system);
  EXPECT_EQ(json::serialize(r.output), R"({"X":1,"CHAN":"O"})");
}

TEST(OutputTemplate, ANestedParentGoesWhereItsFirstWrittenMemberWent) {
  auto pair = compile_pair(kFields);
  // /a/x is absent, so "a" is created by /a/y, after "b" — as inserting by key does.
  auto r = pair.with_template->apply(json::parse(R"({"B": "bb", "AY": "y", "ST": "C", "Z": "z"})"),
                                     Direction::to_canonical);
  EXPECT_TRUE(r.ok) << describe(r);
  EXPECT_EQ(json::serialize(r.output),
            R"({"b":"bb","a":{"y":"y"},"st":"closed","k2":"Y","z":{"last":"z"}})");
  expect_same(pair, json::parse(R"({"B": "bb", "AY": "y", "ST": "C", "Z": "z"})"),
              Direction::to_canonical);
}

TEST(OutputTemplate, FlatOutputsWithGapsKeepStepOrder) {
  auto pair = compile_pair(R"([
    {"canonical": "/a", "system": "/A", "optional": true},
    {"canonical": "/b", "system": "/B", "optional": true},
    {"canonical": "/c", "system": "/C", "optional": true},
    {"canonical": "/d", "system": "/D", "optional": true}
  ])");
  ASSERT_TRUE(pair.plan->to_system_template.flat);
  auto r = pair.with_template->apply(json::parse(R"({"d": 4, "b": 2})"), Direction::to_system);
  EXPECT_EQ(json::serialize(r.output), R"({"B":2,"D":4})");
  auto none = pair.with_template->apply(json::parse("{}"), Direction::to_system);
  EXPECT_TRUE(none.ok);
  EXPECT_EQ(json::serialize(none.output), "{}");
}

// Random records: every field present, absent, null or of a wrong type, both directions.
TEST(OutputTemplate, RandomRecordsMatchInsertingByKey) {
  auto pair = compile_pair(kFields);
  std::mt19937 random(20261122);
  auto pick = [&](std::initializer_list<const char*> choices) {
    std::uniform_int_distribution<std::size_t> d(0, choices.size() - 1);
    return json::parse(choices.begin()[d(random)]);
  };
  auto maybe = [&](json::object& o, const char* key, json::value v) {
    switch (random() % 4) {
      case 0:
        return;  // absent
      case 1:
        o[key] = nullptr;
        return;
      default:
        o[key] = std::move(v);
    }
  };
  for (int i = 0; i < 3000; ++i) {
    json::object canonical;
    json::object a;
    maybe(a, "x", pick({R"("ax")", "7", "true"}));
    maybe(a, "y", pick({R"("ay")", R"("")"}));
    if (random() % 3) canonical["a"] = std::move(a);
    maybe(canonical, "b", pick({R"("bb")", R"("toolongvalue")", "12"}));
    json::object d;
    maybe(d, "e", pick({R"("12.345")", R"("abc")", "5", "1.5", R"("99999999")"}));
    if (random() % 3) canonical["c"] = json::object{{"d", std::move(d)}};
    json::object n;
    maybe(n, "first", pick({R"("Ann")", R"("A|B")"}));
    maybe(n, "last", pick({R"("Lee")", "3"}));
    if (random() % 3) canonical["n"] = std::move(n);
    maybe(canonical, "pc", pick({R"("SW1A 1AA")", R"("NOSPACE")"}));
    maybe(canonical, "dt", pick({R"("2026-02-28")", R"("2026-02-30")", R"("x")"}));
    maybe(canonical, "st", pick({R"("active")", R"("closed")", R"("gone")"}));
    maybe(canonical, "cnt", pick({"3", R"("3")"}));
    if (random() % 2) canonical["z"] = json::object{{"last", "zz"}};
    // Shuffle member order: the input's order must not matter.
    json::object shuffled;
    std::vector<std::size_t> order(canonical.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::shuffle(order.begin(), order.end(), random);
    for (std::size_t k : order) {
      shuffled[canonical.begin()[k].key()] = canonical.begin()[k].value();
    }
    const json::value input(std::move(shuffled));
    expect_same(pair, input, Direction::to_system);
    // And the system record back (whatever came out, plus random damage).
    json::value system = pair.by_key->apply(input, Direction::to_system).output;
    auto& sys = system.get_object();
    if (random() % 3 == 0 && !sys.empty()) sys.erase(sys.begin() + random() % sys.size());
    if (random() % 4 == 0) sys["ST"] = "Q";
    if (random() % 4 == 0) sys["CDE"] = "1.5.5";
    expect_same(pair, system, Direction::to_canonical);
    if (::testing::Test::HasFailure()) break;  // one counter-example is enough
  }
}

TEST(OutputTemplate, ANonObjectInputIsRefusedAsBefore) {
  auto pair = compile_pair(kFields);
  for (const char* input : {"[]", "3", "null", R"("text")"}) {
    expect_same(pair, json::parse(input), Direction::to_system);
    expect_same(pair, json::parse(input), Direction::to_canonical);
  }
}

}  // namespace
}  // namespace coregate::mapping::testing
