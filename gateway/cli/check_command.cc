#include "gateway/cli/commands.h"

namespace coregate::cli {

int run_check_command(Args args, std::ostream& out, std::ostream& err) {
  (void)args;
  (void)out;
  err << "coregate check: not available in this build yet\n";
  return 2;
}

}  // namespace coregate::cli
