#include "gateway/cli/commands.h"

namespace coregate::cli {

int run_plugins_command(Args args, std::ostream& out, std::ostream& err) {
  (void)args;
  (void)out;
  err << "coregate plugins: not available in this build yet\n";
  return 2;
}

}  // namespace coregate::cli
