// In-process cost of the ingest path without the adapter: parse a poll answer (a JSON array of
// string-valued rows, as the ODBC adapter returns them), map + validate + id + CloudEvent each
// row, and commit batches into a TriggerStore (WAL, synchronous=FULL). Prints per-stage figures so
// the polling figure of trigger_bench can be split into adapter time and gateway time.
//
//   bench/trigger_pipeline_bench [rows=200000] [batch=5000]
#include <unistd.h>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "gateway/mapping/mapping.h"
#include "gateway/schema/schema_registry.h"
#include "gateway/triggers/record_pipeline.h"
#include "gateway/triggers/trigger_store.h"

using namespace coregate;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int rows = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int batch = argc > 2 ? std::atoi(argv[2]) : 5000;
  const std::string src = COREGATE_SOURCE_DIR;
  schema::SchemaRegistry schemas;
  schemas.load_directory(src + "/schemas");
  mapping::CompileOptions options;
  options.schemas = &schemas;
  triggers::CompiledRules rules;
  rules.rules.source = "returns";
  rules.rules.type = "payment.failed";
  rules.rules.natural_key = {"order_ref"};
  rules.mapping = mapping::load_mapping(
      src + "/tests/integration/triggers/mappings/payment_failed.debit_return_row.json", options);
  rules.schema = schemas.find("triggers/payment.failed.json");
  rules.event_source = "/coregate/sources/returns";
  rules.event_type = "coregate.trigger.payment.failed";
  rules.dataschema = rules.schema->uri();

  // Poll answers as text, like the adapter hands them over.
  std::vector<std::string> answers;
  for (int start = 1; start <= rows; start += batch) {
    boost::json::array records;
    for (int i = start; i < start + batch && i <= rows; ++i) {
      records.push_back(boost::json::object{{"seq", std::to_string(i)},
                                            {"order_ref", "DO-" + std::to_string(i)},
                                            {"account", "4000" + std::to_string(100000 + i % 5000)},
                                            {"amount", std::to_string(100 + i % 900) + ".50"},
                                            {"currency", "ZAR"},
                                            {"returned_at", "20260302000731"},
                                            {"return_code", "04"}});
    }
    answers.push_back(boost::json::serialize(records));
  }
  const auto dir = std::filesystem::temp_directory_path() /
                   ("trigger-pipeline-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  triggers::TriggerStore store(dir / "triggers.db");

  double parse_s = 0, map_s = 0, commit_s = 0;
  int64_t made = 0;
  for (size_t b = 0; b < answers.size(); ++b) {
    auto t0 = Clock::now();
    auto records = boost::json::parse(answers[b]).as_array();
    auto t1 = Clock::now();
    std::vector<triggers::NewTrigger> out;
    out.reserve(records.size());
    triggers::RecordContext context;
    context.now_ms = 1772409451000;
    for (const auto& raw : records) {
      auto verdict = triggers::make_trigger(rules, raw, context);
      if (verdict.ok) out.push_back(std::move(verdict.trigger));
    }
    auto t2 = Clock::now();
    auto committed = store.commit_batch("returns", std::to_string(b), out, {});
    auto t3 = Clock::now();
    made += static_cast<int64_t>(committed.inserted);
    parse_s += std::chrono::duration<double>(t1 - t0).count();
    map_s += std::chrono::duration<double>(t2 - t1).count();
    commit_s += std::chrono::duration<double>(t3 - t2).count();
  }
  const double total = parse_s + map_s + commit_s;
  std::printf(
      "pipeline: %lld triggers, batch %d: parse %.2f s, map+validate+id+event %.2f s, "
      "commit %.2f s; total %.2f s = %.0f triggers/s\n",
      static_cast<long long>(made), batch, parse_s, map_s, commit_s, total, made / total);
  std::filesystem::remove_all(dir);
  return 0;
}
