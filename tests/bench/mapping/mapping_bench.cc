// Throughput of a compiled mapping on one core: a 20-field record (copies, exact decimals, dates,
// code tables, fixed-width text, a cast, constants, a condition) mapped canonical → system and
// system → canonical. Target (issue 5): ≥ 1,000,000 records/s.
//
// Usage: mapping_bench [records] [filter]   (default 2,000,000 per measurement; with a filter,
// only the measurements whose label contains it run: e.g. "to_system, reused" for a profile)
#include <boost/json.hpp>
#include <boost/json/monotonic_resource.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "gateway/mapping/mapping.h"

namespace {

namespace json = boost::json;
using coregate::mapping::Direction;

constexpr const char* kMapping = R"({
  "name": "bench.twenty_fields",
  "system": {"charset": "ebcdic"},
  "fields": [
    {"canonical": "/account/id", "system": "/ACCT-NO", "text": {"width": 12}},
    {"canonical": "/account/branch", "system": "/BRANCH"},
    {"canonical": "/customer/id", "system": "/CUST-ID"},
    {"canonical": "/customer/surname", "system": "/SURNAME", "text": {"width": 20}},
    {"canonical": "/customer/initials", "system": "/INITIALS"},
    {"canonical": "/amount/value", "system": "/AMOUNT", "decimal": {"precision": 9, "scale": 2, "rounding": "half_even"}},
    {"canonical": "/amount/currency", "system": "/CURRENCY"},
    {"canonical": "/arrears/value", "system": "/ARREARS-CENTS", "decimal": {"precision": 11, "scale": 2, "system": "minor_units"}},
    {"canonical": "/fee", "system": "/FEE", "decimal": {"precision": 7, "scale": 2, "rounding": "half_up"}},
    {"canonical": "/due_date", "system": "/DUE-DT", "date": {"system": "ccyymmdd"}},
    {"canonical": "/opened_on", "system": "/OPEN-DT", "date": {"system": "ccyyddd"}},
    {"canonical": "/captured_at", "system": "/CAPT-TS", "date": {"canonical": "iso_datetime", "system": "ccyymmddhhmmss"}},
    {"canonical": "/status", "system": "/STATUS", "codes": {"table": {"active": "A", "arrears": "R", "closed": "C", "written_off": "W"}}},
    {"canonical": "/payment_method", "system": "/PAY-METH", "codes": {"table": {"debit_order": "DO", "card": "CC", "eft": "EF", "cash": "CA"}}},
    {"canonical": "/instalments", "system": "/INSTALMENTS", "cast": {"canonical": "integer", "system": "string"}, "text": {"width": 3, "align": "right", "pad": "0"}},
    {"canonical": "/product", "system": "/PRODUCT"},
    {"canonical": "/reference", "system": "/REF"},
    {"canonical": "/agent", "system": "/AGENT"},
    {"system": "/SOURCE", "constant": "CGW"},
    {"canonical": "/channel", "system": "/CHANNEL", "codes": {"table": {"phone": "P", "sms": "S", "web": "W"}}}
  ]
})";

constexpr const char* kRecord = R"({
  "account": {"id": "4000123456", "branch": "0012"},
  "customer": {"id": "C-778812", "surname": "van der Merwe", "initials": "JP"},
  "amount": {"value": "1500.00", "currency": "ZAR"},
  "arrears": {"value": "3250.75"},
  "fee": "12.5",
  "due_date": "2026-03-15",
  "opened_on": "2019-07-01",
  "captured_at": "2026-03-02T10:41:07+02:00",
  "status": "arrears",
  "payment_method": "debit_order",
  "instalments": 6,
  "product": "home_loan",
  "reference": "PTP-20260302-0001",
  "agent": "agent-117",
  "channel": "phone"
})";

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

const char* g_filter = nullptr;

template <typename Body>
double measure(const char* label, long records, Body body) {
  if (g_filter != nullptr && std::string(label).find(g_filter) == std::string::npos) return 0;
  long failures = 0;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  for (long i = 0; i < records; ++i) failures += body() ? 0 : 1;
  const double cpu = thread_cpu_seconds() - cpu_start;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Records per second of this thread's CPU time: the one-core figure, unaffected by other
  // processes competing for the core. Wall time is printed too.
  const double rate = static_cast<double>(records) / cpu;
  std::printf(
      "%-40s %9ld records  cpu %6.3f s  wall %6.3f s  %10.0f records/s  %6.1f ns/record%s\n", label,
      records, cpu, wall, rate, cpu * 1e9 / static_cast<double>(records),
      failures ? "  (FAILURES!)" : "");
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  const long records = argc > 1 ? std::atol(argv[1]) : 2'000'000;
  if (argc > 2) g_filter = argv[2];
  coregate::mapping::CompileOptions options;
  auto mapping = coregate::mapping::compile_mapping(json::parse(kMapping), "bench", options);
  const json::value canonical = json::parse(kRecord);
  auto first = mapping->apply(canonical, Direction::to_system);
  if (!first.ok) {
    std::fprintf(stderr, "bench mapping failed: %s\n", first.diagnostic(mapping->name()).c_str());
    return 1;
  }
  const json::value system = first.output;
  std::printf("mapping: %zu rules; system record: %s\n\n", mapping->rule_count(),
              json::serialize(system).c_str());

  // Calibration: what Boost.JSON alone costs on this machine for a record of this size. The
  // mapping has to build its output with the same library, so this is its floor; on a shared or
  // throttled core both figures move together.
  measure("calibration: Boost.JSON deep copy of input", records, [&] {
    json::value copy(canonical);
    return copy.is_object();
  });
  measure("calibration: Boost.JSON copy of system rec", records, [&] {
    json::value copy(system);
    return copy.is_object();
  });

  // Warm-up.
  for (int i = 0; i < 20000; ++i) (void)mapping->apply(canonical, Direction::to_system);

  measure("to_system, default heap", records,
          [&] { return mapping->apply(canonical, Direction::to_system).ok; });
  measure("to_canonical, default heap", records,
          [&] { return mapping->apply(system, Direction::to_canonical).ok; });
  // A caller mapping a batch can hand each record a monotonic buffer it reuses.
  unsigned char buffer[16384];
  measure("to_system, reused monotonic buffer", records, [&] {
    json::monotonic_resource resource(buffer, sizeof buffer);
    json::storage_ptr storage(&resource);
    auto r = mapping->apply(canonical, Direction::to_system, storage);
    return r.ok;
  });
  measure("to_canonical, reused monotonic buffer", records, [&] {
    json::monotonic_resource resource(buffer, sizeof buffer);
    json::storage_ptr storage(&resource);
    auto r = mapping->apply(system, Direction::to_canonical, storage);
    return r.ok;
  });
  return 0;
}
