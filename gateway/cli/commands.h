// Every CLI verb of DESIGN §6. Each takes the words after the verb and returns the process exit
// code; normal output goes to `out`, diagnostics to `err`. Each verb lives in its own
// <verb>_command.cc and answers --help.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace coregate::cli {

using Args = std::span<const std::string>;

int run_serve_command(Args args, std::ostream& out, std::ostream& err);
int run_check_command(Args args, std::ostream& out, std::ostream& err);
int run_plugins_command(Args args, std::ostream& out, std::ostream& err);
int run_map_command(Args args, std::ostream& out, std::ostream& err);
int run_validate_command(Args args, std::ostream& out, std::ostream& err);
int run_copybook_command(Args args, std::ostream& out, std::ostream& err);
int run_exceptions_command(Args args, std::ostream& out, std::ostream& err);
int run_audit_command(Args args, std::ostream& out, std::ostream& err);

}  // namespace coregate::cli
