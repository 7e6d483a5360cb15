// TLS against real node https servers with a test CA made at test time: verification, host name,
// expiry, system CAs, plain HTTP where HTTPS is configured, client certificates (mTLS).
#include <chrono>
#include <thread>

#include "tests/integration/plugins/rest/rest_fixture.h"

namespace coregate::testing::rest {
namespace {
namespace json = boost::json;
using sdk::WriteClass;

class RestTlsTest : public RestTest {
 protected:
  json::object config(int port, const std::string& host = "localhost") {
    return {{"base_url", "https://" + host + ":" + std::to_string(port)},
            {"read_timeout_ms", 3000},
            {"tls", {{"ca_file", shared().certs->ca.string()}}},
            {"operations", {{"created", {{"path", "/created"}}}}}};
  }
  std::unique_ptr<NodePeer> https_peer(const std::filesystem::path& cert,
                                       const std::filesystem::path& key, const std::string& name,
                                       const std::string& client_ca = "") {
    std::vector<std::string> args{"--cert", cert.string(), "--key", key.string()};
    if (!client_ca.empty()) args.insert(args.end(), {"--client-ca", client_ca});
    return std::make_unique<NodePeer>("fault_target.js", args, shared().dir / name);
  }
};

TEST_F(RestTlsTest, VerifiedCertificateByNameAndByAddress) {
  auto& c = *shared().certs;
  auto peer = https_peer(c.good_cert, c.good_key, "tls-good");
  for (const char* host : {"localhost", "127.0.0.1"}) {
    auto a = adapter(config(peer->port(), host));
    auto r = write(*a, {{"amount", "1.00"}});
    EXPECT_EQ(r.write_class, WriteClass::kApplied) << host << ": " << r.diagnostic;
  }
}

TEST_F(RestTlsTest, BadCertificatesAreClearRetryableFailures) {
  auto& c = *shared().certs;
  auto wrong = https_peer(c.wrong_cert, c.wrong_key, "tls-wrong");
  auto expired = https_peer(c.expired_cert, c.expired_key, "tls-expired");
  auto good = https_peer(c.good_cert, c.good_key, "tls-good2");
  struct Case {
    const char* name;
    json::object cfg;
    const char* part;
  };
  auto system_cas = config(good->port());
  system_cas.erase("tls");
  auto plain = config(shared().faults->port());  // https:// to a plain HTTP server
  std::vector<Case> cases = {
      {"wrong host", config(wrong->port()), "hostname mismatch"},
      {"expired", config(expired->port()), "certificate has expired"},
      {"unknown CA (system CAs only)", system_cas, "local issuer certificate"},
      {"plain HTTP where HTTPS is configured", plain, "TLS handshake"},
  };
  for (auto& k : cases) {
    auto a = adapter(k.cfg);
    auto r = write(*a, {{"amount", "1.00"}});
    std::cout << "[observed] " << k.name << " -> " << class_name(r.write_class) << " ("
              << r.diagnostic << ")\n";
    EXPECT_EQ(r.write_class, WriteClass::kRetryable) << k.name;
    EXPECT_NE(r.diagnostic.find("not sent"), std::string::npos) << r.diagnostic;
    EXPECT_NE(r.diagnostic.find(k.part), std::string::npos) << k.name << ": " << r.diagnostic;
  }
}

TEST_F(RestTlsTest, ClientCertificateForMutualTls) {
  auto& c = *shared().certs;
  auto peer = https_peer(c.good_cert, c.good_key, "tls-mtls", c.ca.string());
  auto without = adapter(config(peer->port()));
  auto refused = write(*without, {{"amount", "1.00"}});
  EXPECT_NE(refused.write_class, WriteClass::kApplied) << refused.diagnostic;
  auto cfg = config(peer->port());
  cfg["tls"].as_object()["cert_file"] = c.client_cert.string();
  cfg["tls"].as_object()["key_file"] = c.client_key.string();
  auto with = adapter(cfg);
  auto r = write(*with, {{"amount", "1.00"}});
  EXPECT_EQ(r.write_class, WriteClass::kApplied) << r.diagnostic;
}

}  // namespace
}  // namespace coregate::testing::rest

namespace coregate::testing::rest {
namespace {

class RestProxyTest : public RestTest {};

TEST_F(RestProxyTest, PlainHttpThroughTheProxyAndHttpsThroughAConnectTunnel) {
  NodePeer proxy("forward_proxy.js", {"--user", "svc:pw"}, shared().dir / "proxy");
  json::object cfg{{"base_url", fault_url()},
                   {"proxy", {{"url", proxy.url()}, {"username", "svc"}, {"password", "pw"}}},
                   {"operations", {{"created", {{"path", "/created"}}}}}};
  auto a = adapter(cfg);
  auto r = write(*a, {{"amount", "1.00"}});
  EXPECT_EQ(r.write_class, WriteClass::kApplied) << r.diagnostic;

  auto& c = *shared().certs;
  NodePeer tls("fault_target.js", {"--cert", c.good_cert.string(), "--key", c.good_key.string()},
               shared().dir / "proxy-tls");
  json::object https{{"base_url", "https://localhost:" + std::to_string(tls.port())},
                     {"tls", {{"ca_file", c.ca.string()}}},
                     {"proxy", {{"url", proxy.url()}, {"username", "svc"}, {"password", "pw"}}},
                     {"operations", {{"created", {{"path", "/created"}}}}}};
  auto b = adapter(https);
  auto s = write(*b, {{"amount", "1.00"}});
  EXPECT_EQ(s.write_class, WriteClass::kApplied) << s.diagnostic;

  auto stats = json::parse(http_text(proxy.port(), "/_stats")).as_object();
  EXPECT_EQ(stats.at("forwarded").as_int64(), 1);
  EXPECT_EQ(stats.at("tunnels").as_int64(), 1);
  EXPECT_EQ(stats.at("refused").as_int64(), 0);

  // Wrong proxy credentials: the proxy answers 407, a permanent refusal of this request.
  cfg["proxy"].as_object()["password"] = "wrong";
  auto denied = write(*adapter(cfg), {{"amount", "1.00"}});
  EXPECT_EQ(denied.write_class, WriteClass::kRejected) << denied.diagnostic;
  EXPECT_NE(denied.diagnostic.find("407"), std::string::npos) << denied.diagnostic;
}

}  // namespace
}  // namespace coregate::testing::rest

namespace coregate::testing::rest {
namespace {

class RestKeepAliveTest : public RestTest {};

// A server that closes idle keep-alive connections (nginx's keepalive_timeout, node's 5 s) must not
// turn the next write on that pooled session into an ambiguous one: the client sees the close
// before reusing the connection and reconnects.
TEST_F(RestKeepAliveTest, ConnectionsClosedByTheServerAreReopenedNotAmbiguous) {
  auto& c = *shared().certs;
  NodePeer plain("fault_target.js", {"--close-idle-ms", "300"}, shared().dir / "ka-plain");
  NodePeer tls(
      "fault_target.js",
      {"--close-idle-ms", "300", "--cert", c.good_cert.string(), "--key", c.good_key.string()},
      shared().dir / "ka-tls");
  for (const std::string& base : {plain.url(), "https://localhost:" + std::to_string(tls.port())}) {
    json::object cfg{{"base_url", base},
                     {"concurrency", 1},
                     {"tls", {{"ca_file", c.ca.string()}}},
                     {"operations", {{"created", {{"path", "/created"}}}}}};
    auto a = adapter(cfg);
    for (int i = 0; i < 4; ++i) {
      auto r = write(*a, {{"n", i}});
      EXPECT_EQ(r.write_class, WriteClass::kApplied)
          << base << " write " << i << ": " << r.diagnostic;
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
    }
  }
}

}  // namespace
}  // namespace coregate::testing::rest
