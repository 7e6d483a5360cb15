// A real HTTP/1.1 server on 127.0.0.1 (port 0) that plays the gateway's exception-queue API
// (docs/cli.md, the contract `coregate exceptions` is written against) and records every request,
// so a test can check what the CLI sent and what it made of the answers.
//
// One thread serves connections one at a time (the CLI sends one request per connection). A test
// may replace the answer of the next requests with override_next() to play failures.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace coregate::testing {

struct RecordedRequest {
  std::string method;
  std::string target;                                      // as sent: encoded path + query
  std::string path;                                        // decoded path, no query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::string authorization;
  std::string content_type;
  std::string body;

  std::optional<std::string> param(const std::string& name) const {
    for (const auto& [k, v] : query) {
      if (k == name) return v;
    }
    return std::nullopt;
  }
};

struct FakeAnswer {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering (to play a hung server)
};

class FakeExceptionsApi {
 public:
  static constexpr const char* kToken = "test-token-0123";

  FakeExceptionsApi() : acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    for (int i = 1; i <= 5; ++i) {
      boost::json::object e{
          {"id", "exc-" + std::to_string(i)},
          {"outcome_id", "out-" + std::to_string(i)},
          {"step_index", 0},
          {"adapter", i % 2 ? "mainframe" : "crm"},
          {"cause", i == 2 ? "retries_exhausted" : "rejected"},
          {"type", "arrangement.promise_to_pay"},
          {"subject", "ACC-" + std::to_string(100 + i)},
          {"status", "open"},
          {"created_at", "2026-11-22T10:00:0" + std::to_string(i) + ".000Z"},
          {"updated_at", "2026-11-22T10:00:0" + std::to_string(i) + ".000Z"},
          {"attempts", i},
          {"last_error", i == 1 ? "IMS status AI: " + std::string(80, 'x') + " tail"
                                : "HTTP 422 amount exceeds limit"}};
      exceptions_.push_back(std::move(e));
    }
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~FakeExceptionsApi() {
    io_.stop();
    thread_.join();
  }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  void override_next(FakeAnswer answer) {
    std::lock_guard lock(mutex_);
    overrides_.push_back(std::move(answer));
  }

 private:
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, boost::asio::ip::tcp::socket s) {
      if (!ec) serve(std::move(s));
      accept();
    });
  }

  void serve(boost::asio::ip::tcp::socket socket) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    boost::system::error_code ec;
    http::read(socket, buffer, request, ec);
    if (ec) return;
    RecordedRequest recorded;
    recorded.method = std::string(request.method_string());
    recorded.target = std::string(request.target());
    auto target = boost::urls::parse_origin_form(request.target());
    if (target) {
      recorded.path = std::string(target->path());
      for (auto param : target->params()) recorded.query.emplace_back(param.key, param.value);
    }
    recorded.authorization = std::string(request[http::field::authorization]);
    recorded.content_type = std::string(request[http::field::content_type]);
    recorded.body = request.body();
    FakeAnswer answer;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(recorded);
      if (!overrides_.empty()) {
        answer = std::move(overrides_.front());
        overrides_.pop_front();
      } else {
        answer = route(recorded);
      }
    }
    if (answer.delay.count() > 0) std::this_thread::sleep_for(answer.delay);
    http::response<http::string_body> response{static_cast<http::status>(answer.status), 11};
    response.set(http::field::content_type, answer.content_type);
    response.body() = answer.body;
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  }

  static FakeAnswer problem(unsigned status, const std::string& title, const std::string& detail,
                            boost::json::array errors = {}) {
    boost::json::object body{
        {"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
    if (!errors.empty()) body["errors"] = std::move(errors);
    return {status, "application/problem+json", boost::json::serialize(body)};
  }

  boost::json::object* find(const std::string& id) {
    for (auto& e : exceptions_) {
      if (e.at("id").as_string() == id) return &e;
    }
    return nullptr;
  }

  // The contract of docs/cli.md, as a gateway would answer it.
  FakeAnswer route(const RecordedRequest& r) {
    if (r.authorization != std::string("Bearer ") + kToken) {
      return problem(401, "Unauthorized", "a valid bearer token is required");
    }
    const std::string prefix = "/v1/exceptions";
    if (r.method == "GET" && r.path == prefix) return list(r);
    if (r.path.rfind(prefix + "/", 0) != 0) return problem(404, "Not Found", "no route " + r.path);
    std::string rest = r.path.substr(prefix.size() + 1);
    std::string action;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
      action = rest.substr(slash + 1);
      rest = rest.substr(0, slash);
    }
    boost::json::object* e = find(rest);
    if (e == nullptr) return problem(404, "Not Found", "no exception " + rest);
    if (r.method == "GET" && action.empty()) return show(*e);
    if (r.method != "POST") return problem(405, "Method Not Allowed", r.method);
    boost::system::error_code ec;
    auto body = boost::json::parse(r.body, ec);
    if (ec || !body.is_object())
      return problem(400, "Bad Request", "the body is not a JSON object");
    if (e->at("status").as_string() != "open") {
      return problem(
          409, "Conflict",
          "exception " + rest + " is already " + std::string(e->at("status").as_string()));
    }
    if (action == "replay") {
      (*e)["status"] = "replayed";
      return {202, "application/json",
              boost::json::serialize(boost::json::object{
                  {"id", rest}, {"status", "replayed"}, {"outcome_id", "out-replay-" + rest}})};
    }
    if (action == "discard") {
      const auto* reason = body.get_object().if_contains("reason");
      if (reason == nullptr || !reason->is_string() || reason->get_string().empty()) {
        return problem(400, "Bad Request", "the body does not match the schema",
                       {boost::json::object{{"pointer", "/reason"}, {"message", "is required"}}});
      }
      (*e)["status"] = "discarded";
      return {200, "application/json",
              boost::json::serialize(boost::json::object{{"id", rest}, {"status", "discarded"}})};
    }
    return problem(404, "Not Found", "no action " + action);
  }

  FakeAnswer list(const RecordedRequest& r) {
    std::size_t limit = 50;
    if (auto l = r.param("limit")) limit = std::stoul(*l);
    std::size_t start = 0;
    if (auto c = r.param("cursor")) start = std::stoul(c->substr(2));  // "c:<index>"
    boost::json::array items;
    std::size_t index = start;
    for (; index < exceptions_.size() && items.size() < limit; ++index) {
      const auto& e = exceptions_[index];
      bool keep = true;
      for (const char* field : {"adapter", "cause", "type", "status"}) {
        if (auto want = r.param(field); want && e.at(field).as_string() != *want) keep = false;
      }
      if (keep) items.push_back(e);
    }
    boost::json::object page{{"items", std::move(items)}};
    if (index < exceptions_.size()) page["next_cursor"] = "c:" + std::to_string(index);
    return {200, "application/json", boost::json::serialize(page)};
  }

  static FakeAnswer show(const boost::json::object& summary) {
    boost::json::object e = summary;
    e["outcome"] = boost::json::parse(
        R"({"type":"arrangement.promise_to_pay","subject":"ACC-101","data":{"amount":"120.50"}})");
    e["mapped_request"] = boost::json::parse(R"({"PTP-AMT":"000012050","ACCT":"ACC-101"})");
    e["attempts"] =
        boost::json::array{boost::json::object{{"attempt_no", 1},
                                               {"started_at", "2026-11-22T10:00:01.000Z"},
                                               {"finished_at", "2026-11-22T10:00:01.250Z"},
                                               {"classification", "retryable"},
                                               {"detail", "IMS status QC"}},
                           boost::json::object{{"attempt_no", 2},
                                               {"started_at", "2026-11-22T10:00:03.000Z"},
                                               {"finished_at", "2026-11-22T10:00:03.100Z"},
                                               {"classification", "rejected"},
                                               {"detail", "IMS status AI\nsecond line"}}};
    if (summary.at("status").as_string() != "open") {
      e["resolution"] = boost::json::object{{"action", summary.at("status")},
                                            {"principal", "ops-alice"},
                                            {"reason", "duplicate of a manual entry"},
                                            {"at", "2026-11-22T11:00:00.000Z"}};
    }
    return {200, "application/json", boost::json::serialize(e)};
  }

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::deque<FakeAnswer> overrides_;
  std::vector<boost::json::object> exceptions_;
};

}  // namespace coregate::testing
