#include "gateway/server/gateway_app.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <exception>
#include <fstream>

#include "gateway/logging/logging.h"
#include "gateway/server/gateway.h"

namespace coregate::server {
namespace {

void write_port_file(const std::filesystem::path& file, uint16_t port) {
  // Written under a temporary name and renamed, so a reader never sees a half-written number.
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write port file " + temporary.string());
  }
  std::filesystem::rename(temporary, file);
}

}  // namespace

int run_gateway(const config::LoadedConfig& config, const ServeOptions& options) {
  try {
    auto log_options = logging::options_from_config(config.root);
    if (options.log_format) {
      const auto format = logging::parse_format(*options.log_format);
      if (!format)
        throw config::ConfigError("command line", "--log-format", "expected json, text or auto");
      log_options.format = *format;
    }
    logging::configure(log_options);
  } catch (const std::exception& e) {
    logging::logger()->error("coregate serve: {}", e.what());
    return 1;
  }
  auto log = logging::logger();
  try {
    Gateway gateway(config, options);
    // Signals are taken on this thread's own io_context so the I/O threads never run shutdown.
    boost::asio::io_context control;
    boost::asio::signal_set signals(control, SIGINT, SIGTERM);
    int received = 0;
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (!ec) received = signal;
    });
    gateway.start();
    log->info("coregate listening on {} (port {})", gateway.bound_endpoint(), gateway.bound_port());
    if (options.port_file) write_port_file(*options.port_file, gateway.bound_port());
    control.run();
    log->info(
        "received {}, shutting down: stop accepting, finish in-flight requests, flush the store",
        received == SIGINT ? "SIGINT" : "SIGTERM");
    gateway.stop();
    log->info("coregate stopped cleanly");
    return 0;
  } catch (const std::exception& e) {
    log->error("coregate serve: {}", e.what());
    return 1;
  }
}

}  // namespace coregate::server
