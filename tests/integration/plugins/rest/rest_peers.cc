#include "tests/integration/plugins/rest/rest_peers.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace coregate::testing::rest {
namespace fs = std::filesystem;

namespace {
// run_process/BackgroundProcess exec without a PATH search.
std::string program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    if (colon == std::string::npos) colon = dirs.size();
    fs::path candidate = fs::path(dirs.substr(start, colon - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = colon + 1;
  }
  return "/usr/bin/" + name;
}

std::string peers_dir() {
  return std::string(COREGATE_SOURCE_DIR) + "/tests/peers";
}

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{program("openssl")};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult r = run_process(argv, std::chrono::seconds(60));
  if (!r.exited || r.exit_code != 0) {
    throw std::runtime_error("openssl " + args[0] + " failed: " + r.err);
  }
}

// A key and a certificate signed by the CA, valid for `days` (negative: already expired).
void issue(const fs::path& dir, const std::string& name, const std::string& subject,
           const std::string& san, int days, const std::string& usage) {
  fs::path key = dir / (name + ".key"), csr = dir / (name + ".csr"), ext = dir / (name + ".ext");
  openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.string(), "-out", csr.string(),
           "-subj", subject});
  {
    std::ofstream out(ext);
    if (!san.empty()) out << "subjectAltName=" << san << "\n";
    out << "extendedKeyUsage=" << usage << "\n";
  }
  openssl({"x509", "-req", "-in", csr.string(), "-CA", (dir / "ca.pem").string(), "-CAkey",
           (dir / "ca.key").string(), "-CAcreateserial", "-out", (dir / (name + ".pem")).string(),
           "-days", std::to_string(days), "-extfile", ext.string()});
}
}  // namespace

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

NodePeer::NodePeer(const std::string& script, const std::vector<std::string>& args,
                   const fs::path& work_dir) {
  fs::create_directories(work_dir);
  fs::path port_file = work_dir / (script + ".port");
  fs::remove(port_file);
  std::vector<std::string> argv{program("node"), peers_dir() + "/rest/" + script, "--port-file",
                                port_file.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  process_ = std::make_unique<BackgroundProcess>(
      argv, work_dir / (script + ".log"),
      std::map<std::string, std::string>{{"NODE_PATH", peers_dir() + "/node_modules"}});
  auto port = wait_for_port_file(port_file, std::chrono::seconds(20));
  if (!port) throw std::runtime_error("node peer " + script + " did not start (see its log)");
  port_ = *port;
}

JsonServer::JsonServer(const fs::path& db_file, const fs::path& work_dir) {
  port_ = free_port();
  std::vector<std::string> argv{
      program("node"), peers_dir() + "/node_modules/json-server/lib/cli/bin.js",
      "--port",        std::to_string(port_),
      "--host",        "127.0.0.1",
      db_file.string()};
  process_ = std::make_unique<BackgroundProcess>(argv, work_dir / "json-server.log");
  for (int i = 0; i < 200; ++i) {
    if (!http_text(port_, "/db").empty()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("json-server did not start");
}

TestCertificates::TestCertificates(const fs::path& dir) {
  fs::create_directories(dir);
  openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", (dir / "ca.key").string(),
           "-out", (dir / "ca.pem").string(), "-days", "2", "-subj", "/CN=Coregate Test CA"});
  issue(dir, "good", "/CN=localhost", "DNS:localhost,IP:127.0.0.1", 2, "serverAuth");
  issue(dir, "wrong", "/CN=wrong.example", "DNS:wrong.example", 2, "serverAuth");
  issue(dir, "expired", "/CN=localhost", "DNS:localhost,IP:127.0.0.1", -1, "serverAuth");
  issue(dir, "client", "/CN=coregate-client", "", 2, "clientAuth");
  ca = dir / "ca.pem";
  good_cert = dir / "good.pem", good_key = dir / "good.key";
  wrong_cert = dir / "wrong.pem", wrong_key = dir / "wrong.key";
  expired_cert = dir / "expired.pem", expired_key = dir / "expired.key";
  client_cert = dir / "client.pem", client_key = dir / "client.key";
}

std::string http_text(int port, const std::string& path, const std::string& method,
                      const std::string& body) {
  try {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(port));
    s.setTimeout(Poco::Timespan(5, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    if (!body.empty()) req.setContentType("application/json");
    s.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::string out;
    Poco::StreamCopier::copyToString(s.receiveResponse(res), out);
    return out;
  } catch (...) {
    return {};
  }
}

}  // namespace coregate::testing::rest
