#include "gateway/cli/commands.h"

namespace coregate::cli {

int run_serve_command(Args args, std::ostream& out, std::ostream& err) {
  (void)args;
  (void)out;
  err << "coregate serve: not available in this build yet\n";
  return 2;
}

}  // namespace coregate::cli
