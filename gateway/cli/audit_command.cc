// `coregate audit verify|export`: offline checks of the store's audit log (DESIGN §4 "Audit";
// docs/cli.md). The store file comes from --store, or from a gateway config's store.path exactly
// as `serve` resolves it. The file is opened read-only.
// verify: exit 0 the chain is intact, 1 it is not (the first bad seq and why), 2 no readable store.
// export: exit 0 written, 2 no readable store or unwritable output.
#include <charconv>
#include <fstream>
#include <optional>

#include "gateway/cli/arguments.h"
#include "gateway/cli/audit_chain_check.h"
#include "gateway/cli/audit_log_reader.h"
#include "gateway/cli/audit_record_json.h"
#include "gateway/cli/commands.h"
#include "gateway/config/config_error.h"
#include "gateway/config/config_loader.h"
#include "gateway/store/store_config.h"

namespace coregate::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

void print_overview(std::ostream& out) {
  out << "usage: coregate audit <verify|export> (--config FILE | --store PATH) [options]\n\n"
         "Check or export the audit log of a gateway's store, offline and read-only.\n"
         "(coregate audit <subcommand> --help for its options)\n\n"
         "  verify    recompute the hash chain; report the first record that is wrong\n"
         "  export    write the records as JSON lines\n";
}

// The store file named by --store, or by --config's store section; nullopt after saying why not.
std::optional<std::filesystem::path> store_path(const Arguments& a, const std::string& prefix,
                                                std::ostream& err) {
  const auto store = a.get("store");
  const auto config = a.get("config");
  if (store.has_value() == config.has_value()) {
    err << prefix << "give exactly one of --config FILE or --store PATH\n\n";
    a.print_usage(err);
    return std::nullopt;
  }
  if (store) return std::filesystem::path(*store);
  try {
    auto loaded = config::load_config_file(*config);
    return store::store_options_from_config(loaded.root).path;
  } catch (const std::exception& e) {
    err << prefix << e.what() << "\n";
    return std::nullopt;
  }
}

int run_verify(AuditLogReader& reader, std::ostream& out, std::ostream& err) {
  const ChainVerdict verdict = check_audit_chain(reader);
  if (verdict.intact()) {
    out << "audit chain intact: " << verdict.records
        << (verdict.records == 1 ? " record" : " records") << ", head " << verdict.head << "\n";
    return kOk;
  }
  err << "audit chain BROKEN at seq " << verdict.bad_seq << ": " << verdict.problem << "\n"
      << "(" << verdict.records << (verdict.records == 1 ? " record" : " records")
      << " before it are intact; store " << reader.path().string() << ")\n";
  return kFailed;
}

int run_export(const Arguments& a, AuditLogReader& reader, const std::string& prefix,
               std::ostream& out, std::ostream& err) {
  int64_t since = 1;
  if (auto text = a.get("since")) {
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), since);
    if (ec != std::errc() || end != text->data() + text->size() || since < 1) {
      err << prefix << "--since must be a record number (1 or more), not '" << *text << "'\n";
      return kUsage;
    }
  }
  std::ofstream file;
  std::ostream* sink = &out;
  const auto output = a.get("output");
  if (output) {
    file.open(*output, std::ios::binary | std::ios::trunc);
    if (!file) {
      err << prefix << "cannot write --output file " << *output << "\n";
      return kUsage;
    }
    sink = &file;
  }
  int64_t written = 0;
  int64_t not_json = 0;
  reader.for_each(since, [&](const AuditRecord& record) {
    bool detail_is_json = true;
    *sink << audit_record_json_line(record, &detail_is_json) << "\n";
    if (!detail_is_json) ++not_json;
    ++written;
    return static_cast<bool>(*sink);
  });
  sink->flush();
  if (!*sink) {
    err << prefix << "writing " << (output ? *output : std::string("standard output"))
        << " failed\n";
    return kUsage;
  }
  if (not_json > 0) {
    err << prefix << "warning: " << not_json
        << " record(s) have a detail that is not JSON (exported as a string); run "
           "`coregate audit verify`\n";
  }
  if (output) err << "exported " << written << " audit records to " << *output << "\n";
  return kOk;
}

}  // namespace

int run_audit_command(Args args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_overview(err);
    return kUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(out);
    return kOk;
  }
  const std::string sub = args[0];
  if (sub != "verify" && sub != "export") {
    err << "coregate audit: unknown subcommand '" << sub << "'\n\n";
    print_overview(err);
    return kUsage;
  }
  Arguments a("audit " + sub, sub == "verify"
                                  ? "Recompute the audit log's hash chain; report the first "
                                    "record that was edited, deleted or moved."
                                  : "Write the audit log as JSON lines.");
  a.option("config", "FILE", "the gateway config; its store.path names the store")
      .option("store", "PATH", "the store file itself (instead of --config)");
  if (sub == "export") {
    a.option("since", "SEQ", "start at this record number (default: 1, every record)")
        .option("output", "FILE", "write to FILE instead of standard output");
  }
  if (!a.parse(args.subspan(1), err)) return kUsage;
  if (a.help_requested()) {
    a.print_usage(out);
    return kOk;
  }
  const std::string prefix = "coregate audit " + sub + ": ";
  auto path = store_path(a, prefix, err);
  if (!path) return kUsage;
  try {
    AuditLogReader reader(*path);
    if (sub == "verify") return run_verify(reader, out, err);
    return run_export(a, reader, prefix, out, err);
  } catch (const AuditReadError& e) {
    err << prefix << e.what() << "\n";
    return kUsage;
  }
}

}  // namespace coregate::cli
