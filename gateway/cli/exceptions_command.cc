// Placeholder until the issue that owns this verb lands; keeps the verb table complete.
#include "gateway/cli/commands.h"

namespace coregate::cli {

int run_exceptions_command(Args args, std::ostream& out, std::ostream& err) {
  (void)args;
  (void)out;
  err << "coregate exceptions: not available in this build yet\n";
  return 2;
}

}  // namespace coregate::cli
