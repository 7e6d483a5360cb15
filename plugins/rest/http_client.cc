#include "plugins/rest/http_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <istream>
#include <ostream>
#include <stdexcept>

namespace coregate::plugins::rest {
namespace {

// The last certificate-verification failure on this thread: the handshake runs on the calling
// thread, and POCO's exception only says "certificate verify failed", not why.
thread_local std::string t_verify_error;

int record_verify_result(int preverify_ok, X509_STORE_CTX* store) {
  if (!preverify_ok && t_verify_error.empty()) {
    int err = X509_STORE_CTX_get_error(store);
    t_verify_error = X509_verify_cert_error_string(err);
  }
  return preverify_ok;
}

Poco::Timespan timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(ms).count());
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

// A POCO session that can be connected explicitly, so a failure to connect (nothing sent) is
// told apart from a failure after sendRequest (maybe sent).
class HttpClient::Session {
 public:
  template <typename Base>
  class Openable : public Base {
   public:
    using Base::Base;
    // Connects (or reconnects a connection that went stale or idle too long).
    void open(bool https) {
      if (this->connected() && (this->mustReconnect() || peer_closed(https))) this->close();
      if (!this->connected()) this->reconnect();
    }

   private:
    // A pooled connection the server has closed reads as EOF; reusing it would turn a harmless
    // reconnect into an ambiguous write. TLS may legitimately have bytes waiting (a session
    // ticket), so only EOF or an error counts there.
    bool peer_closed(bool https) {
      char byte;
      ssize_t n = ::recv(this->socket().impl()->sockfd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0) return true;
      if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
      if (!https) return true;  // unsolicited bytes on an idle HTTP connection: not reusable
      // TLS: let OpenSSL consume what is waiting without blocking. A session ticket leaves
      // nothing readable (want-read: alive); close_notify reads as 0; application data on an idle
      // connection means it is out of step. Either way only "would block" keeps it.
      auto& socket = this->socket();
      int read = 0;
      try {
        socket.setBlocking(false);
        read = socket.receiveBytes(&byte, 1);
      } catch (const Poco::Exception&) {
        read = 0;
      }
      try {
        socket.setBlocking(true);
      } catch (const Poco::Exception&) {
        return true;
      }
      return read >= 0;
    }
  };

  explicit Session(std::unique_ptr<Poco::Net::HTTPClientSession> s, bool https)
      : session(std::move(s)), https(https) {}

  void open() {
    if (https) {
      static_cast<Openable<Poco::Net::HTTPSClientSession>*>(session.get())->open(true);
    } else {
      static_cast<Openable<Poco::Net::HTTPClientSession>*>(session.get())->open(false);
    }
  }

  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  bool https;
};

HttpClient::HttpClient(ClientOptions options) : options_(std::move(options)) {
  if (!options_.https) return;
  Poco::Net::Context::Params params;
  params.verificationMode =
      options_.tls.verify ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE;
  params.loadDefaultCAs = options_.tls.ca_file.empty();
  params.caLocation = options_.tls.ca_file;
  params.certificateFile = options_.tls.cert_file;
  params.privateKeyFile = options_.tls.key_file;
  params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
  try {
    context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("TLS setup: " + e.displayText());
  }
  SSL_CTX* ctx = context_->sslContext();
  SSL_CTX_set_min_proto_version(ctx, options_.tls.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION);
  // Host-name checks by OpenSSL during the handshake (an IP target is checked against IP SANs);
  // POCO's own check is switched off because it skips "localhost" and resolves names itself.
  context_->enableExtendedCertificateVerification(false);
  if (options_.tls.verify) {
    X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
    Poco::Net::IPAddress ip;
    if (Poco::Net::IPAddress::tryParse(options_.host, ip)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, options_.host.c_str());
    } else {
      X509_VERIFY_PARAM_set1_host(param, options_.host.c_str(), 0);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, &record_verify_result);
  }
}

HttpClient::~HttpClient() = default;

std::string HttpClient::origin() const {
  return std::string(options_.https ? "https://" : "http://") + options_.host + ":" +
         std::to_string(options_.port);
}

uint64_t HttpClient::connections_opened() const {
  std::lock_guard lock(mutex_);
  return opened_;
}

std::unique_ptr<HttpClient::Session> HttpClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
  }
  std::unique_ptr<Poco::Net::HTTPClientSession> raw;
  if (options_.https) {
    raw = std::make_unique<Session::Openable<Poco::Net::HTTPSClientSession>>(
        options_.host, options_.port, context_);
  } else {
    raw = std::make_unique<Session::Openable<Poco::Net::HTTPClientSession>>(options_.host,
                                                                            options_.port);
  }
  if (!options_.proxy.host.empty()) {
    raw->setProxy(options_.proxy.host, options_.proxy.port);
    if (!options_.proxy.username.empty()) {
      raw->setProxyCredentials(options_.proxy.username, options_.proxy.password);
    }
  }
  raw->setKeepAlive(true);
  raw->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_idle.count(), 0));
  return std::make_unique<Session>(std::move(raw), options_.https);
}

void HttpClient::release(std::unique_ptr<Session> session) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.pool_size) idle_.push_back(std::move(session));
}

Exchange HttpClient::send(const OutgoingRequest& request, std::chrono::milliseconds read_budget) {
  Exchange x;
  auto session = acquire();
  auto& s = *session->session;
  // Phase 1: connect (and TLS handshake). Nothing has been sent if this fails.
  try {
    bool was_connected = s.connected();
    s.setTimeout(timespan(options_.connect_timeout), timespan(read_budget), timespan(read_budget));
    t_verify_error.clear();
    session->open();
    if (!was_connected) {
      std::lock_guard lock(mutex_);
      ++opened_;
    }
    s.socket().setReceiveTimeout(timespan(read_budget));
    s.socket().setSendTimeout(timespan(read_budget));
  } catch (const Poco::Exception& e) {
    x.outcome = Exchange::Outcome::kNotSent;
    std::string what = e.displayText();
    if (dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr || !t_verify_error.empty()) {
      what = "TLS handshake with " + origin() + " failed: " + what;
      if (!t_verify_error.empty()) what += " (" + t_verify_error + ")";
    } else {
      what = "connect to " + origin() + ": " + what;
    }
    x.error = what;
    return x;
  } catch (const std::exception& e) {
    x.outcome = Exchange::Outcome::kNotSent;
    x.error = "connect to " + origin() + ": " + e.what();
    return x;
  }
  // Phase 2: send and read. From here the target may have received the request.
  try {
    Poco::Net::HTTPRequest req(request.method, request.target, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    for (const auto& [name, value] : request.headers) req.set(name, value);
    if (request.has_body) {
      req.setContentLength(static_cast<std::streamsize>(request.body.size()));
    } else if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
      req.setContentLength(0);
    }
    std::ostream& out = s.sendRequest(req);
    if (request.has_body)
      out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    out.flush();
    Poco::Net::HTTPResponse response;
    std::istream& in = s.receiveResponse(response);
    x.outcome = Exchange::Outcome::kAnswered;
    x.answer.status = static_cast<int>(response.getStatus());
    x.answer.cap = options_.max_response_bytes;
    for (const auto& [name, value] : response) x.answer.headers.emplace_back(lower(name), value);
    bool reusable = response.getKeepAlive();
    if (response.hasContentLength() &&
        response.getContentLength64() > static_cast<int64_t>(options_.max_response_bytes)) {
      x.answer.body_over_cap = true;
      reusable = false;  // the body is left unread
    } else {
      char chunk[16384];
      while (in) {
        in.read(chunk, sizeof chunk);
        size_t n = static_cast<size_t>(in.gcount());
        if (x.answer.body.size() + n > options_.max_response_bytes) {
          x.answer.body.append(chunk, options_.max_response_bytes - x.answer.body.size());
          x.answer.body_over_cap = true;
          reusable = false;
          break;
        }
        x.answer.body.append(chunk, n);
      }
      if (!x.answer.body_over_cap && in.bad()) reusable = false;
    }
    if (reusable) {
      release(std::move(session));
    }
    return x;
  } catch (const Poco::TimeoutException& e) {
    x.outcome = Exchange::Outcome::kAfterSend;
    x.error = "no answer from " + origin() + " within " + std::to_string(read_budget.count()) +
              " ms (" + e.displayText() + ")";
  } catch (const Poco::Exception& e) {
    x.outcome = Exchange::Outcome::kAfterSend;
    x.error = "connection to " + origin() + " failed during the exchange: " + e.displayText();
  } catch (const std::exception& e) {
    x.outcome = Exchange::Outcome::kAfterSend;
    x.error = "connection to " + origin() + " failed during the exchange: " + e.what();
  }
  x.answer = {};
  return x;
}

}  // namespace coregate::plugins::rest
