// Real peers for the REST plugin's integration tests: node scripts under tests/peers/rest (and
// json-server) started on a free loopback port, and a throw-away test CA with good, wrong-host,
// expired and client certificates made by the openssl CLI.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace coregate::testing::rest {

// A node peer: `node tests/peers/rest/<script> --port-file F <args>`; killed on destruction.
class NodePeer {
 public:
  NodePeer(const std::string& script, const std::vector<std::string>& args,
           const std::filesystem::path& work_dir);
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

// json-server 0.17.4 on `db_file` (a free port is chosen first: json-server has no port 0).
class JsonServer {
 public:
  JsonServer(const std::filesystem::path& db_file, const std::filesystem::path& work_dir);
  int port() const { return port_; }

 private:
  std::unique_ptr<BackgroundProcess> process_;
  int port_ = 0;
};

// CA, server certificates for localhost/127.0.0.1 (good), for wrong.example (wrong host), an
// expired one, and a client certificate, all PEM in `dir`.
struct TestCertificates {
  explicit TestCertificates(const std::filesystem::path& dir);
  std::filesystem::path ca, good_cert, good_key, wrong_cert, wrong_key, expired_cert, expired_key,
      client_cert, client_key;
};

// GET http://127.0.0.1:port<path> and return the body ("" on failure); POST when body given.
std::string http_text(int port, const std::string& path, const std::string& method = "GET",
                      const std::string& body = "");

int free_port();

}  // namespace coregate::testing::rest
