// build/bin/coregate: dispatches the verb (DESIGN §6) to its <verb>_command.cc.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/cli/commands.h"

namespace {

struct Verb {
  std::string_view name;
  int (*run)(coregate::cli::Args, std::ostream&, std::ostream&);
  std::string_view summary;
};

constexpr Verb kVerbs[] = {
    {"serve", coregate::cli::run_serve_command, "run the gateway"},
    {"check", coregate::cli::run_check_command,
     "validate config, load plugins, compile mappings; errors name file and key"},
    {"plugins", coregate::cli::run_plugins_command,
     "list plugins found, with ABI and version, and why any was refused"},
    {"map", coregate::cli::run_map_command, "run a mapping on a sample"},
    {"validate", coregate::cli::run_validate_command, "validate JSON against a JSON Schema"},
    {"copybook", coregate::cli::run_copybook_command,
     "show a COBOL copybook's layout; decode EBCDIC records to JSON lines"},
    {"exceptions", coregate::cli::run_exceptions_command,
     "list, show, replay or discard exceptions of a running gateway"},
    {"audit", coregate::cli::run_audit_command, "verify the audit hash chain; export JSON lines"},
};

void print_help(std::ostream& out) {
  out << "usage: coregate <verb> [options]   (coregate <verb> --help for a verb's options)\n\n"
         "Coregate: an integration gateway between workflow engines and legacy systems of "
         "record.\n\n"
         "verbs:\n";
  for (const Verb& v : kVerbs) {
    out << "  " << v.name << std::string(12 - v.name.size(), ' ') << v.summary << "\n";
  }
  out << "\n  --version   print the version\n  --help      show this help\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    print_help(std::cerr);
    return 2;
  }
  const std::string& first = words.front();
  if (first == "--help" || first == "-h" || first == "help") {
    print_help(std::cout);
    return 0;
  }
  if (first == "--version") {
    std::cout << "coregate " << COREGATE_VERSION << "\n";
    return 0;
  }
  for (const Verb& v : kVerbs) {
    if (v.name == first) {
      return v.run(coregate::cli::Args(words).subspan(1), std::cout, std::cerr);
    }
  }
  std::cerr << "coregate: unknown verb '" << first << "'\n\n";
  print_help(std::cerr);
  return 2;
}
