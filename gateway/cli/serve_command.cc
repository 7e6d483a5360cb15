// `coregate serve --config FILE [--listen ADDR:PORT] [--port-file FILE] [--log-format F]`.
// A thin front: config errors are reported here with file and key; everything else is
// run_gateway's (gateway/server/gateway_app.h).
#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"
#include "gateway/config/config_loader.h"
#include "gateway/server/gateway_app.h"

namespace coregate::cli {

int run_serve_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a("serve", "Run the gateway until SIGTERM or SIGINT.");
  a.option("config", "FILE", "the gateway config (.json, .xml or .info)", true)
      .option("listen", "ADDR:PORT",
              "listen here instead of the config's \"listen\" (port 0: any free port)")
      .option("port-file", "FILE", "write the bound port to FILE once listening")
      .option("log-format", "auto|text|json", "override the config's log.format");
  if (!a.parse(args, err)) return 2;
  if (a.help_requested()) {
    a.print_usage(out);
    return 0;
  }
  server::ServeOptions options;
  options.listen_override = a.get("listen");
  if (auto p = a.get("port-file")) options.port_file = *p;
  options.log_format = a.get("log-format");
  try {
    config::LoadedConfig loaded = config::load_config_file(*a.get("config"));
    return server::run_gateway(loaded, options);
  } catch (const config::ConfigError& e) {
    err << "coregate serve: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace coregate::cli
