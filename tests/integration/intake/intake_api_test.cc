// The real `coregate serve` binary on port 0: every status code of POST/GET /v1/outcomes, the
// idempotency rules (replay, 422, 409 race, principal scoping, replay after restart), backpressure,
// and the bad inputs of issue 3 — each answered with a precise problem+json while the process stays
// up and nothing half-written is stored.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "tests/integration/intake/intake_fixture.h"

namespace coregate::testing {
namespace {

using boost::beast::http::verb;

std::string problem_type(const Reply& reply) {
  auto json = reply.json();
  if (!json.is_object() || !json.as_object().contains("type")) return "";
  return std::string(json.as_object().at("type").as_string());
}

class IntakeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fresh_temp_dir("api");
    gateway_ = std::make_unique<GatewayProcess>(dir_, intake_config(dir_), writer_env());
    gateway_->start();
  }
  void TearDown() override {
    if (gateway_) {
      EXPECT_TRUE(gateway_->running()) << gateway_->log_text();
      gateway_->kill(SIGTERM);
    }
    std::filesystem::remove_all(dir_);
  }
  uint16_t port() const { return gateway_->port(); }

  std::filesystem::path dir_;
  std::unique_ptr<GatewayProcess> gateway_;
};

TEST_F(IntakeApiTest, HealthAndReadiness) {
  TestClient client(port());
  auto health = client.request(verb::get, "/healthz");
  EXPECT_EQ(health.status, 200);
  auto ready = client.request(verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(client.request(verb::get, "/nowhere").status, 404);
  auto wrong_method = client.request(verb::delete_, "/v1/outcomes");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("allow"), "POST, GET");
}

TEST_F(IntakeApiTest, AcceptThenReplayThenConflict) {
  TestClient client(port());
  auto first = post_outcome(client, "key-1", promise_body("acct-1"));
  ASSERT_EQ(first.status, 202) << first.body;
  const auto id = std::string(first.json().at("id").as_string());
  EXPECT_EQ(first.json().at("status").as_string(), "accepted");
  EXPECT_EQ(first.header("location"), "/v1/outcomes/" + id);
  EXPECT_EQ(first.header("idempotent-replayed"), "");

  auto again = post_outcome(client, "key-1", promise_body("acct-1"));
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("idempotent-replayed"), "true");

  // Same members in another order and with whitespace: the same request (canonical fingerprint).
  auto reordered = post_outcome(
      client, "key-1",
      R"({ "data": {"due_date":"2026-12-01", "currency":"ZAR", "amount":"125.00"}, "subject":"acct-1",
           "type":"arrangement.promise_to_pay" })");
  EXPECT_EQ(reordered.status, 202);
  EXPECT_EQ(reordered.header("idempotent-replayed"), "true");

  auto different = post_outcome(client, "key-1", promise_body("acct-2"));
  EXPECT_EQ(different.status, 422);
  EXPECT_EQ(different.header("content-type"), "application/problem+json");
  EXPECT_EQ(problem_type(different), "urn:coregate:problem:idempotency-key-reused");

  auto stored = get_with(client, "/v1/outcomes/" + id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(stored.json().at("subject").as_string(), "acct-1");
  EXPECT_EQ(stored.json().at("status").as_string(), "accepted");
  EXPECT_EQ(stored.json().at("data").at("amount").as_string(), "125.00");
  EXPECT_EQ(list_all(port()).size(), 1u);
}

TEST_F(IntakeApiTest, KeysAreScopedToThePrincipal) {
  TestClient client(port());
  auto mine = post_outcome(client, "shared-key", promise_body("acct-1"));
  auto theirs = post_outcome(client, "shared-key", promise_body("acct-9"), kOtherWriterToken);
  ASSERT_EQ(mine.status, 202);
  ASSERT_EQ(theirs.status, 202) << theirs.body;
  EXPECT_NE(mine.json().at("id"), theirs.json().at("id"));
  EXPECT_EQ(theirs.header("idempotent-replayed"), "");
}

TEST_F(IntakeApiTest, RacingTheSameKeyFromTwoConnectionsGives409) {
  // Both requests are written before either answer is read; the second arrives while the first
  // waits for its group commit. Repeat until the race is observed (it is on the first tries).
  int conflicts = 0;
  for (int round = 0; round < 200 && conflicts == 0; ++round) {
    TestClient a(port()), b(port());
    const std::string key = "race-" + std::to_string(round);
    std::promise<Reply> first_reply;
    auto first =
        std::async(std::launch::async, [&] { return post_outcome(a, key, promise_body("race")); });
    auto second =
        std::async(std::launch::async, [&] { return post_outcome(b, key, promise_body("race")); });
    Reply r1 = first.get(), r2 = second.get();
    std::vector<int> statuses{r1.status, r2.status};
    std::sort(statuses.begin(), statuses.end());
    // Either one was committed before the other arrived (202 + replayed 202) or they raced (202 +
    // 409).
    ASSERT_TRUE(statuses == std::vector<int>({202, 202}) ||
                statuses == std::vector<int>({202, 409}))
        << r1.status << " " << r2.status;
    if (statuses[1] == 409) {
      const Reply& conflict = r1.status == 409 ? r1 : r2;
      EXPECT_EQ(problem_type(conflict), "urn:coregate:problem:idempotency-key-in-flight");
      ++conflicts;
    }
  }
  EXPECT_GT(conflicts, 0) << "never observed a 409 in 200 races";
  // Whatever happened, each key has exactly one outcome.
  std::map<std::string, int> per_subject;
  for (auto& item : list_all(port())) per_subject[std::string(item["subject"].as_string())]++;
  EXPECT_EQ(per_subject.size(), 1u);
}

TEST_F(IntakeApiTest, ReplayAfterRestartComesFromTheDurableLedger) {
  TestClient client(port());
  auto first = post_outcome(client, "durable-key", promise_body("acct-7"));
  ASSERT_EQ(first.status, 202);
  client.close();
  EXPECT_TRUE(WIFEXITED(gateway_->kill(SIGTERM)));
  gateway_->start();
  TestClient after(port());
  auto replay = post_outcome(after, "durable-key", promise_body("acct-7"));
  EXPECT_EQ(replay.status, 202);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.header("idempotent-replayed"), "true");
  EXPECT_EQ(post_outcome(after, "durable-key", promise_body("acct-8")).status, 422);
}

TEST_F(IntakeApiTest, AuthenticationAndScopes) {
  TestClient client(port());
  auto none = client.request(verb::post, "/v1/outcomes", promise_body("a"),
                             {{"Content-Type", "application/json"}, {"Idempotency-Key", "\"k\""}});
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer realm=\"coregate\"");
  EXPECT_EQ(post_outcome(client, "k", promise_body("a"), "not-a-token").status, 401);
  auto malformed =
      client.request(verb::get, "/v1/outcomes", "", {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_EQ(malformed.status, 401);
  auto reader_posts = post_outcome(client, "k", promise_body("a"), kReaderToken);
  EXPECT_EQ(reader_posts.status, 403);
  EXPECT_EQ(problem_type(reader_posts), "urn:coregate:problem:forbidden");
  EXPECT_EQ(get_with(client, "/v1/outcomes", kOtherWriterToken).status, 403);
  // A token narrowed to case.note_added may post notes and nothing else.
  EXPECT_EQ(post_outcome(client, "n1", promise_body("a"), kNotesOnlyToken).status, 403);
  auto note = post_outcome(
      client, "n1",
      R"({"type":"case.note_added","subject":"acct-1","data":{"text":"called, no answer"}})",
      kNotesOnlyToken);
  EXPECT_EQ(note.status, 202) << note.body;
  EXPECT_EQ(list_all(port()).size(), 1u);
}

TEST_F(IntakeApiTest, ReadsWithFiltersAndCursorPaging) {
  TestClient client(port());
  for (int i = 0; i < 7; ++i) {
    ASSERT_EQ(
        post_outcome(client, "p" + std::to_string(i), promise_body(i % 2 ? "odd" : "even")).status,
        202);
  }
  ASSERT_EQ(post_outcome(client, "note",
                         R"({"type":"case.note_added","subject":"odd","data":{"text":"x"}})")
                .status,
            202);
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto reply =
        get_with(client, "/v1/outcomes?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto page = reply.json().as_object();
    for (auto& item : page["items"].as_array()) seen.emplace_back(item.at("id").as_string());
    cursor = page["next_cursor"].is_null() ? "" : std::string(page["next_cursor"].as_string());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 8u);
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));  // UUIDv7: acceptance order
  EXPECT_EQ(list_all(port(), "&subject=odd").size(), 4u);
  EXPECT_EQ(list_all(port(), "&type=case.note_added").size(), 1u);
  EXPECT_EQ(list_all(port(), "&status=accepted&subject=even").size(), 4u);
  EXPECT_EQ(list_all(port(), "&status=applied").size(), 0u);
  EXPECT_EQ(get_with(client, "/v1/outcomes?status=done").status, 400);
  EXPECT_EQ(get_with(client, "/v1/outcomes?limit=0").status, 400);
  EXPECT_EQ(get_with(client, "/v1/outcomes?limit=100000").status, 400);
  EXPECT_EQ(get_with(client, "/v1/outcomes?cursor=garbage").status, 400);
  auto missing = get_with(client, "/v1/outcomes/01a20427-0000-7000-8000-000000000000");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(problem_type(missing), "urn:coregate:problem:outcome-not-found");
}

struct BadInput {
  std::string name;
  std::string raw;  // full request bytes; {PORT} is not needed (Host is fixed)
  int status;
  std::string problem;  // slug, "" when the answer is not problem+json from intake
};

std::string raw_post(const std::string& key_header_line, const std::string& body,
                     const std::string& content_type = "application/json") {
  std::string request = "POST /v1/outcomes HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ";
  request += kWriterToken;
  request += "\r\n";
  if (!content_type.empty()) request += "Content-Type: " + content_type + "\r\n";
  request += key_header_line;
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return request;
}

TEST_F(IntakeApiTest, BadInputsAreAnsweredPreciselyAndNothingIsStored) {
  const std::string key = "Idempotency-Key: \"bad-input\"\r\n";
  const std::string good = promise_body("acct-1");
  std::string deep = "{\"type\":\"arrangement.promise_to_pay\",\"subject\":\"s\",\"data\":";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}";
  const std::vector<BadInput> cases = {
      {"malformed JSON", raw_post(key, "{\"type\": arrangement}"), 400, "malformed-json"},
      {"truncated JSON", raw_post(key, good.substr(0, good.size() - 9)), 400, "truncated-json"},
      {"empty body", raw_post(key, ""), 400, "malformed-json"},
      {"trailing garbage", raw_post(key, good + "x"), 400, "malformed-json"},
      {"invalid UTF-8", raw_post(key, promise_body("acct-\xC3\x28")), 400, "invalid-utf8"},
      {"overlong UTF-8", raw_post(key, promise_body("acct-\xC0\xAF")), 400, "invalid-utf8"},
      {"duplicate object keys",
       raw_post(key,
                R"({"type":"arrangement.promise_to_pay","subject":"a","subject":"b","data":{}})"),
       400, "duplicate-json-key"},
      {"duplicate nested keys",
       raw_post(
           key,
           R"({"type":"arrangement.promise_to_pay","subject":"a","data":{"amount":"1","amount":"2"}})"),
       400, "duplicate-json-key"},
      {"nesting deeper than the limit", raw_post(key, deep), 400, "json-too-deep"},
      {"not an object", raw_post(key, "[1,2,3]"), 400, "schema-violation"},
      {"unknown outcome type",
       raw_post(key, R"({"type":"payment.teleported","subject":"a","data":{}})"), 400,
       "unknown-outcome-type"},
      {"money as a JSON float", raw_post(key, promise_body("acct-1", "125.5")), 400,
       "schema-violation"},
      {"missing required member",
       raw_post(key, R"({"type":"arrangement.promise_to_pay","subject":"a"})"), 400,
       "schema-violation"},
      {"wrong content type", raw_post(key, good, "text/plain"), 415, "unsupported-media-type"},
      {"no content type", raw_post(key, good, ""), 415, "unsupported-media-type"},
      {"missing key", raw_post("", good), 400, "idempotency-key-missing"},
      {"unquoted key", raw_post("Idempotency-Key: abc\r\n", good), 400, "idempotency-key-invalid"},
      {"empty key", raw_post("Idempotency-Key: \"\"\r\n", good), 400, "idempotency-key-invalid"},
      // Control characters, CR and LF cannot be in an HTTP field value at all: bad HTTP, 400.
      {"key with a control character", raw_post("Idempotency-Key: \"a\x01z\"\r\n", good), 400,
       "malformed-http"},
      {"key with DEL", raw_post("Idempotency-Key: \"a\x7Fz\"\r\n", good), 400, "malformed-http"},
      {"key with a tab", raw_post("Idempotency-Key: \"a\tz\"\r\n", good), 400,
       "idempotency-key-invalid"},
      {"key with non-ASCII", raw_post("Idempotency-Key: \"caf\xC3\xA9\"\r\n", good), 400,
       "idempotency-key-invalid"},
      {"key with parameters", raw_post("Idempotency-Key: \"abc\";x=1\r\n", good), 400,
       "idempotency-key-invalid"},
      {"two keys", raw_post("Idempotency-Key: \"a\"\r\nIdempotency-Key: \"b\"\r\n", good), 400,
       "idempotency-key-invalid"},
      {"10,000-character key",
       raw_post("Idempotency-Key: \"" + std::string(10000, 'k') + "\"\r\n", good), 400,
       "idempotency-key-invalid"},
      {"256-character key",
       raw_post("Idempotency-Key: \"" + std::string(256, 'k') + "\"\r\n", good), 400,
       "idempotency-key-invalid"},
      {"key with CR/LF", raw_post("Idempotency-Key: \"a\r\nb\"\r\n", good), 400, "malformed-http"},
      {"key with a bare CR", raw_post("Idempotency-Key: \"a\rb\"\r\n", good), 400,
       "malformed-http"},
      {"body over the limit", raw_post(key, std::string(70 * 1024, ' ') + good), 413,
       "body-too-large"},
      {"headers over the limit",
       raw_post("X-Padding: " + std::string(20 * 1024, 'p') + "\r\n" + key, good), 431,
       "headers-too-large"},
  };
  for (const auto& c : cases) {
    TestClient client(port());
    Reply reply = client.raw(c.raw);
    EXPECT_EQ(reply.status, c.status) << c.name << ": " << reply.body;
    EXPECT_EQ(reply.header("content-type"), "application/problem+json") << c.name;
    EXPECT_EQ(problem_type(reply), "urn:coregate:problem:" + c.problem)
        << c.name << ": " << reply.body;
    auto json = reply.json();
    if (json.is_object()) {
      EXPECT_EQ(json.at("status").as_int64(), c.status) << c.name;
      EXPECT_FALSE(json.at("detail").as_string().empty()) << c.name;
    }
  }
  // Precise pointers for schema failures.
  TestClient client(port());
  auto money = client.raw(raw_post(key, promise_body("acct-1", "125.5")));
  ASSERT_EQ(money.status, 400);
  EXPECT_EQ(money.json().at("errors").at(0).at("pointer").as_string(), "/data/amount")
      << money.body;
  auto unknown =
      client.raw(raw_post(key, R"({"type":"payment.teleported","subject":"a","data":{}})"));
  EXPECT_EQ(unknown.json().at("known_types").as_array().size(), 2u) << unknown.body;

  // Still up, nothing stored, and the key was never consumed by a refused request.
  EXPECT_TRUE(gateway_->running());
  EXPECT_EQ(client.request(verb::get, "/healthz").status, 200);
  EXPECT_EQ(list_all(port()).size(), 0u);
  EXPECT_EQ(post_outcome(client, "bad-input", good).status, 202);
  EXPECT_EQ(list_all(port()).size(), 1u);
}

TEST(IntakeBackpressureTest, FullBacklogAnswers503WithRetryAfter) {
  const auto dir = fresh_temp_dir("backlog");
  GatewayProcess gateway(dir, intake_config(dir, "\"backlog\": 1, \"retry_after\": \"3s\","),
                         writer_env());
  gateway.start();
  int busy = 0, accepted = 0;
  for (int round = 0; round < 20 && busy == 0; ++round) {
    std::vector<std::future<Reply>> replies;
    for (int c = 0; c < 32; ++c) {
      replies.push_back(std::async(std::launch::async, [&, c, round] {
        TestClient client(gateway.port());
        return post_outcome(client, "bp-" + std::to_string(round) + "-" + std::to_string(c),
                            promise_body("bp"));
      }));
    }
    for (auto& future : replies) {
      Reply reply = future.get();
      if (reply.status == 503) {
        ++busy;
        EXPECT_EQ(reply.header("retry-after"), "3");
        EXPECT_EQ(problem_type(reply), "urn:coregate:problem:backlog-full");
      } else {
        EXPECT_EQ(reply.status, 202);
        ++accepted;
      }
    }
  }
  EXPECT_GT(busy, 0);
  // Refused outcomes were not stored; accepted ones were.
  EXPECT_EQ(list_all(gateway.port()).size(), static_cast<size_t>(accepted));
  gateway.kill(SIGTERM);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace coregate::testing
