#include <signal.h>

#include "tests/integration/cli/cli_test_support.h"

namespace coregate::testing {
namespace {

std::string minimal_config(const ScratchDir& dir) {
  return R"({"plugin_path": [")" + plugins_dir() + R"("], "store": {"path": ")" +
         (dir.path() / "store.db").string() + R"("}, "adapters": {"core": {"plugin": "testing"}}})";
}

ProcessResult curl(const std::string& url) {
  return run_process({"/usr/bin/curl", "-sS", "--max-time", "5", "-w", "\n%{http_code}", url},
                     std::chrono::seconds(10));
}

class ServeStops : public ::testing::TestWithParam<int> {};

TEST_P(ServeStops, ServesHealthzAndStopsCleanlyOnSignal) {
  ScratchDir dir;
  auto config = dir.write("gw.json", minimal_config(dir));
  auto port_file = dir.path() / "port";
  BackgroundProcess gateway({binary_path("coregate").string(), "serve", "--config", config.string(),
                             "--listen", "127.0.0.1:0", "--port-file", port_file.string()},
                            dir.path() / "gateway.log");
  auto port = wait_for_port_file(port_file, std::chrono::seconds(20));
  ASSERT_TRUE(port) << "no port; log:\n" << std::ifstream(dir.path() / "gateway.log").rdbuf();
  ProcessResult health = curl("http://127.0.0.1:" + std::to_string(*port) + "/healthz");
  EXPECT_NE(health.out.find("\n200"), std::string::npos) << health.out << health.err;
  gateway.signal(GetParam());
  auto ended = gateway.wait(std::chrono::seconds(15));
  ASSERT_TRUE(ended) << "gateway did not stop after signal " << GetParam();
  EXPECT_TRUE(ended->exited);
  EXPECT_EQ(ended->exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Signals, ServeStops, ::testing::Values(SIGTERM, SIGINT));

TEST(ServeCommand, BadConfigExitsWithTheProblem) {
  ScratchDir dir;
  auto config = dir.write("gw.json", R"({"adapters": {"core": {"plugin": "nope"}}})");
  ProcessResult r = coregate({"serve", "--config", config.string(), "--listen", "127.0.0.1:0"});
  EXPECT_TRUE(r.exited);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE((r.out + r.err).find("nope"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace coregate::testing
