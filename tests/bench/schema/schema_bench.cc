// Validation throughput on one core: ~1 KiB outcome bodies against their canonical schemas
// (schemas/outcomes/*.json, loaded from the source tree). Target (issue 5): >= 500,000/s.
// Usage: coregate_schema_bench [seconds-per-case, default 2]
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "gateway/schema/schema_registry.h"

namespace {

struct Case {
  const char* name;
  const char* schema;
  std::string body;
};

const std::string kEvidence = R"("evidence": {"channel": "phone",
    "captured_at": "2026-03-02T10:41:07+02:00", "recorded_at": "2026-03-02T10:42:00+02:00",
    "agent_id": "agent-117", "interaction_id": "call-99812",
    "recording_ref": "rec://2026/03/02/call-99812.wav",
    "consent": {"given": true, "statement_version": "ptp-2025.2", "method": "verbal",
                "captured_at": "2026-03-02T10:41:00+02:00"}})";

std::vector<Case> cases() {
  return {
      {"promise_to_pay (1 KiB)", "outcomes/arrangement.promise_to_pay.json",
       R"({"type": "arrangement.promise_to_pay", "subject": "account:4000123456",
           "trigger_id": "core_banking:payment.failed:20260302-000731",
           "data": {"account": {"account_id": "4000123456", "system": "core_banking",
                                "customer_id": "C-88213", "product": "home_loan"},
                    "amount": {"value": "1500.00", "currency": "ZAR"},
                    "promised_date": "2026-03-15", "payment_method": "eft",
                    "note": "Customer confirmed that the salary date moved to the 25th of the month and will pay the full arrears by EFT before the 15th; reminder SMS requested two days before. Agent explained the consequences of a broken promise, the fee schedule and the hardship line; the customer asked for written confirmation by e-mail."},
           )" +
           kEvidence + "}"},
      {"payment_plan (6 instalments)", "outcomes/arrangement.payment_plan.json",
       R"({"type": "arrangement.payment_plan", "subject": "account:4000123456",
           "data": {"account": {"account_id": "4000123456", "system": "core_banking"},
                    "total_amount": {"value": "6000.00", "currency": "ZAR"},
                    "frequency": "monthly", "payment_method": "debit_order",
                    "instalments": [
                      {"due_date": "2026-04-01", "amount": {"value": "1000.00", "currency": "ZAR"}},
                      {"due_date": "2026-05-01", "amount": {"value": "1000.00", "currency": "ZAR"}},
                      {"due_date": "2026-06-01", "amount": {"value": "1000.00", "currency": "ZAR"}},
                      {"due_date": "2026-07-01", "amount": {"value": "1000.00", "currency": "ZAR"}},
                      {"due_date": "2026-08-01", "amount": {"value": "1000.00", "currency": "ZAR"}},
                      {"due_date": "2026-09-01", "amount": {"value": "1000.00", "currency": "ZAR"}}]},
           )" +
           kEvidence + "}"},
      {"document.attached", "outcomes/document.attached.json",
       R"({"type": "document.attached", "subject": "account:4000123456",
           "data": {"account": {"account_id": "4000123456"},
                    "document": {"document_type": "proof_of_address",
                                 "file_name": "utility-bill-2026-02.pdf",
                                 "media_type": "application/pdf", "size_bytes": 183204,
                                 "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                                 "uri": "s3://kyc-docs/4000123456/utility-bill-2026-02.pdf"}},
           )" +
           kEvidence + "}"},
  };
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  coregate::schema::SchemaRegistry registry;
  registry.load_directory(std::string(COREGATE_SOURCE_DIR) + "/schemas");
  // CPU-seconds is the "one core" figure; wall-clock is printed too because a shared machine
  // can take the core away mid-run.
  std::printf("%-32s %8s %16s %16s %10s\n", "case", "bytes", "valid./cpu-s", "valid./wall-s",
              "cpu ns/op");
  for (const auto& c : cases()) {
    auto schema = registry.find(c.schema);
    boost::json::value instance = boost::json::parse(c.body);
    std::size_t bytes = boost::json::serialize(instance).size();
    std::vector<coregate::schema::ValidationError> errors;
    if (!schema->validate(instance, &errors)) {
      std::fprintf(stderr, "%s: benchmark instance is invalid: %s %s\n", c.name,
                   errors[0].instance_pointer.c_str(), errors[0].message.c_str());
      return 1;
    }
    // Warm up, then run in batches until the time is up.
    for (int i = 0; i < 10000; ++i) (void)schema->validate(instance, nullptr);
    double cpu_start = thread_cpu_seconds();
    auto start = std::chrono::steady_clock::now();
    auto deadline = start + std::chrono::duration<double>(seconds);
    std::uint64_t count = 0;
    bool all_valid = true;
    while (std::chrono::steady_clock::now() < deadline) {
      for (int i = 0; i < 10000; ++i) all_valid &= schema->validate(instance, nullptr);
      count += 10000;
    }
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double cpu = thread_cpu_seconds() - cpu_start;
    if (!all_valid) return 1;
    std::printf("%-32s %8zu %16.0f %16.0f %10.1f\n", c.name, bytes, count / cpu, count / elapsed,
                cpu * 1e9 / count);
  }
  return 0;
}
