// `coregate exceptions` (the real binary) against a real HTTP server on loopback that plays the
// gateway's exception-queue API: what the CLI sends (method, path, query, token, body), what it
// prints, and its exit codes for problems (1) and for usage, token, network and non-JSON
// failures (2).
#include <boost/json.hpp>

#include <algorithm>
#include <sstream>

#include "tests/integration/cli/cli_test_support.h"
#include "tests/integration/cli/fake_exceptions_api.h"

namespace coregate::testing {
namespace {

namespace json = boost::json;

class ExceptionsCommand : public ::testing::Test {
 protected:
  ProcessResult run(std::vector<std::string> args,
                    std::map<std::string, std::string> env = {
                        {"COREGATE_TOKEN", FakeExceptionsApi::kToken}}) {
    args.insert(args.begin(), binary_path("coregate").string());
    return run_process(args, std::chrono::seconds(30), env);
  }
  std::vector<std::string> with_url(std::vector<std::string> args) {
    args.push_back("--url");
    args.push_back(api_.url());
    return args;
  }
  static int lines_of(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }

  FakeExceptionsApi api_;
};

TEST_F(ExceptionsCommand, ListSendsTheFiltersAndTheTokenAndPrintsATable) {
  auto r =
      run(with_url({"exceptions", "list", "--adapter", "mainframe", "--cause", "rejected", "--type",
                    "arrangement.promise_to_pay", "--status", "open", "--limit", "10"}));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto requests = api_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& q = requests[0];
  EXPECT_EQ(q.method, "GET");
  EXPECT_EQ(q.path, "/v1/exceptions");
  EXPECT_EQ(q.authorization, std::string("Bearer ") + FakeExceptionsApi::kToken);
  EXPECT_EQ(q.param("adapter"), "mainframe");
  EXPECT_EQ(q.param("cause"), "rejected");
  EXPECT_EQ(q.param("type"), "arrangement.promise_to_pay");
  EXPECT_EQ(q.param("status"), "open");
  EXPECT_EQ(q.param("limit"), "10");
  EXPECT_FALSE(q.param("cursor"));
  // exc-1, exc-3, exc-5 are mainframe + rejected; exc-2 is retries_exhausted.
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("ID ", 0), 0u) << r.out;
  for (const char* column :
       {"CAUSE", "ADAPTER", "TYPE", "SUBJECT", "ATTEMPTS", "STATUS", "LAST ERROR"}) {
    EXPECT_NE(header.find(column), std::string::npos) << column << " in " << header;
  }
  EXPECT_EQ(lines_of(r.out), 4) << r.out;
  EXPECT_NE(r.out.find("exc-1"), std::string::npos);
  EXPECT_NE(r.out.find("exc-5"), std::string::npos);
  EXPECT_EQ(r.out.find("exc-2"), std::string::npos);
  // Columns line up: every row's CAUSE starts where the header's does.
  const size_t cause_at = header.find("CAUSE");
  std::string row;
  while (std::getline(lines, row)) EXPECT_EQ(row.find("rejected"), cause_at) << row;
  // The long last_error is cut with "..." and its tail is not shown.
  EXPECT_NE(r.out.find("IMS status AI: xxx"), std::string::npos);
  EXPECT_NE(r.out.find("..."), std::string::npos);
  EXPECT_EQ(r.out.find(" tail"), std::string::npos) << r.out;
}

TEST_F(ExceptionsCommand, ListFollowsNextCursorWithAll) {
  auto r = run(with_url({"exceptions", "list", "--limit", "2", "--all"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto requests = api_.requests();
  ASSERT_EQ(requests.size(), 3u);  // 2 + 2 + 1
  EXPECT_FALSE(requests[0].param("cursor"));
  EXPECT_EQ(requests[1].param("cursor"), "c:2");
  EXPECT_EQ(requests[2].param("cursor"), "c:4");
  for (const auto& q : requests) EXPECT_EQ(q.param("limit"), "2");
  EXPECT_EQ(lines_of(r.out), 6) << r.out;  // header + 5
  for (int i = 1; i <= 5; ++i) {
    EXPECT_NE(r.out.find("exc-" + std::to_string(i)), std::string::npos) << r.out;
  }
}

TEST_F(ExceptionsCommand, ListWithoutAllShowsOnePageAndSaysMoreFollow) {
  auto r = run(with_url({"exceptions", "list", "--limit", "2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(api_.requests().size(), 1u);
  EXPECT_NE(r.out.find("more exceptions follow"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("exc-3"), std::string::npos);
}

TEST_F(ExceptionsCommand, ListJsonPrintsTheAnswerAndAllMergesThePages) {
  auto one = run(with_url({"exceptions", "list", "--limit", "2", "--json"}));
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto page = json::parse(one.out).as_object();
  EXPECT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("next_cursor").as_string(), "c:2");
  auto all = run(with_url({"exceptions", "list", "--limit", "2", "--json", "--all"}));
  ASSERT_EQ(all.exit_code, 0) << all.err;
  auto merged = json::parse(all.out).as_object();
  EXPECT_EQ(merged.at("items").as_array().size(), 5u);
  EXPECT_FALSE(merged.contains("next_cursor"));
}

TEST_F(ExceptionsCommand, EmptyListSaysNoExceptions) {
  auto r = run(with_url({"exceptions", "list", "--status", "discarded"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no exceptions\n");
}

TEST_F(ExceptionsCommand, UrlComesFromTheEnvironmentWhenNotGiven) {
  auto r = run({"exceptions", "list"},
               {{"COREGATE_TOKEN", FakeExceptionsApi::kToken}, {"COREGATE_URL", api_.url()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(api_.requests().size(), 1u);
}

TEST_F(ExceptionsCommand, TokenEnvNamesAnotherVariable) {
  auto r = run(with_url({"exceptions", "list", "--token-env", "OPS_TOKEN"}),
               {{"OPS_TOKEN", FakeExceptionsApi::kToken}, {"COREGATE_TOKEN", "wrong"}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].authorization, std::string("Bearer ") + FakeExceptionsApi::kToken);
}

TEST_F(ExceptionsCommand, ShowPrintsSummaryAttemptsOutcomeAndMappedRequest) {
  auto r = run(with_url({"exceptions", "show", "exc-2"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto requests = api_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/v1/exceptions/exc-2");
  for (const char* expected :
       {"exception   exc-2", "cause       retries_exhausted", "outcome     out-2 (step 0)",
        "adapter     crm", "attempts    2", "#1  2026-11-22T10:00:01.000Z", "retryable",
        "#2  2026-11-22T10:00:03.000Z", "      IMS status AI\n      second line",
        "\"PTP-AMT\": \"000012050\"", "\"amount\": \"120.50\""}) {
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << " in:\n" << r.out;
  }
  EXPECT_EQ(r.out.find("resolution"), std::string::npos);
}

TEST_F(ExceptionsCommand, JsonPrintsTheGatewaysAnswerForEverySubcommand) {
  auto show = run(with_url({"exceptions", "show", "exc-1", "--json"}));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto shown = json::parse(show.out).as_object();
  EXPECT_EQ(shown.at("id").as_string(), "exc-1");
  EXPECT_EQ(shown.at("attempts").as_array().size(), 2u);
  auto replay = run(with_url({"exceptions", "replay", "exc-1", "--json"}));
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(json::parse(replay.out),
            json::parse(R"({"id":"exc-1","status":"replayed","outcome_id":"out-replay-exc-1"})"));
  auto discard = run(with_url({"exceptions", "discard", "exc-2", "--reason", "dup", "--json"}));
  ASSERT_EQ(discard.exit_code, 0) << discard.err;
  EXPECT_EQ(json::parse(discard.out), json::parse(R"({"id":"exc-2","status":"discarded"})"));
}

TEST_F(ExceptionsCommand, ShowEncodesTheIdAsOnePathSegment) {
  auto r = run(with_url({"exceptions", "show", "a/b c"}));
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].target, "/v1/exceptions/a%2Fb%20c");
}

TEST_F(ExceptionsCommand, ShowOfAnUnknownIdPrintsTheProblemAndExits1) {
  auto r = run(with_url({"exceptions", "show", "exc-404"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("coregate exceptions: 404 Not Found: no exception exc-404"),
            std::string::npos)
      << r.err;
}

TEST_F(ExceptionsCommand, ReplayPostsAnEmptyObjectOrTheCorrectedData) {
  auto plain = run(with_url({"exceptions", "replay", "exc-1"}));
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, "exception exc-1 replayed as outcome out-replay-exc-1\n");
  ScratchDir dir;
  auto data = dir.write("fix.json", R"({"amount": "99.00", "date": "2026-12-01"})");
  auto fixed = run(with_url({"exceptions", "replay", "exc-3", "--data", data.string()}));
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  auto requests = api_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/v1/exceptions/exc-1/replay");
  EXPECT_EQ(requests[0].content_type, "application/json");
  EXPECT_EQ(json::parse(requests[0].body), json::parse("{}"));
  EXPECT_EQ(requests[1].path, "/v1/exceptions/exc-3/replay");
  EXPECT_EQ(json::parse(requests[1].body),
            json::parse(R"({"data": {"amount": "99.00", "date": "2026-12-01"}})"));
  EXPECT_EQ(requests[1].authorization, std::string("Bearer ") + FakeExceptionsApi::kToken);
}

TEST_F(ExceptionsCommand, ReplayRefusesDataThatIsNotAJsonObjectWithoutSending) {
  ScratchDir dir;
  for (const char* content : {"[1, 2]", "{not json", "\"text\""}) {
    auto data = dir.write("bad.json", content);
    auto r = run(with_url({"exceptions", "replay", "exc-1", "--data", data.string()}));
    EXPECT_EQ(r.exit_code, 2) << content;
    EXPECT_NE(r.err.find(data.string()), std::string::npos) << r.err;
  }
  auto missing = run(with_url({"exceptions", "replay", "exc-1", "--data", "/nonexistent.json"}));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ExceptionsCommand, DiscardPostsTheReason) {
  auto r = run(with_url({"exceptions", "discard", "exc-4", "--reason", "entered by hand"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "exception exc-4 discarded\n");
  auto requests = api_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/v1/exceptions/exc-4/discard");
  EXPECT_EQ(json::parse(requests[0].body), json::parse(R"({"reason": "entered by hand"})"));
  // Discarded now: a second discard is a 409 problem, and show has the resolution.
  auto again = run(with_url({"exceptions", "discard", "exc-4", "--reason", "again"}));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("409 Conflict: exception exc-4 is already discarded"), std::string::npos)
      << again.err;
  auto show = run(with_url({"exceptions", "show", "exc-4"}));
  EXPECT_NE(show.out.find("discarded by ops-alice at 2026-11-22T11:00:00.000Z"), std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("reason: duplicate of a manual entry"), std::string::npos);
}

TEST_F(ExceptionsCommand, DiscardWithoutAReasonIsAUsageErrorAndSendsNothing) {
  auto missing = run(with_url({"exceptions", "discard", "exc-1"}));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing required option --reason"), std::string::npos);
  auto blank = run(with_url({"exceptions", "discard", "exc-1", "--reason", "  "}));
  EXPECT_EQ(blank.exit_code, 2);
  EXPECT_NE(blank.err.find("--reason must not be empty"), std::string::npos) << blank.err;
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ExceptionsCommand, ProblemAnswersPrintStatusTitleDetailAndErrorsAndExit1) {
  api_.override_next({400, "application/problem+json",
                      R"({"type":"about:blank","title":"Bad Request","status":400,
                          "detail":"the replay data does not match the schema",
                          "errors":[{"pointer":"/data/amount","message":"must be a string"}]})"});
  auto r = run(with_url({"exceptions", "replay", "exc-1"}));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("coregate exceptions: 400 Bad Request: the replay data does not match the "
                       "schema\n  /data/amount: must be a string"),
            std::string::npos)
      << r.err;
}

TEST_F(ExceptionsCommand, AWrongTokenIsAProblemAnswer) {
  auto r = run(with_url({"exceptions", "list"}), {{"COREGATE_TOKEN", "not-the-token"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("401 Unauthorized"), std::string::npos) << r.err;
  ASSERT_EQ(api_.requests().size(), 1u);
  EXPECT_EQ(api_.requests()[0].authorization, "Bearer not-the-token");
}

TEST_F(ExceptionsCommand, AMissingTokenIsAUsageErrorAndSendsNothing) {
  auto unset = run(with_url({"exceptions", "list", "--token-env", "COREGATE_NO_SUCH_VARIABLE"}));
  EXPECT_EQ(unset.exit_code, 2);
  EXPECT_NE(unset.err.find("COREGATE_NO_SUCH_VARIABLE is not set"), std::string::npos) << unset.err;
  auto empty = run(with_url({"exceptions", "list"}), {{"COREGATE_TOKEN", ""}});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("COREGATE_TOKEN is not set"), std::string::npos) << empty.err;
  EXPECT_TRUE(api_.requests().empty());
}

TEST_F(ExceptionsCommand, ConnectionRefusedNamesTheUrlAndExits2) {
  // A port that was just free: bind, read the port, close.
  std::string url;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port());
  }
  auto r = run({"exceptions", "list", "--url", url});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot connect to " + url), std::string::npos) << r.err;
}

TEST_F(ExceptionsCommand, AHungServerTimesOutAndExits2) {
  api_.override_next({200, "application/json", R"({"items":[]})", std::chrono::seconds(3)});
  const auto start = std::chrono::steady_clock::now();
  auto r = run(with_url({"exceptions", "list", "--timeout", "0.5"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no answer from " + api_.url() + " within 500 ms"), std::string::npos)
      << r.err;
}

TEST_F(ExceptionsCommand, ANonJsonAnswerExits2WithWhatCameBack) {
  api_.override_next({502, "text/html", "<html>Bad Gateway</html>"});
  auto html = run(with_url({"exceptions", "list"}));
  EXPECT_EQ(html.exit_code, 2);
  EXPECT_NE(html.err.find("answered 502 with text/html, not a JSON object: <html>Bad Gateway"),
            std::string::npos)
      << html.err;
  api_.override_next({200, "application/json", "not json"});
  auto garbage = run(with_url({"exceptions", "show", "exc-1"}));
  EXPECT_EQ(garbage.exit_code, 2);
  EXPECT_NE(garbage.err.find("not a JSON object"), std::string::npos) << garbage.err;
  api_.override_next({200, "application/json", R"({"no_items": true})"});
  auto shapeless = run(with_url({"exceptions", "list"}));
  EXPECT_EQ(shapeless.exit_code, 2);
  EXPECT_NE(shapeless.err.find("no \"items\" array"), std::string::npos) << shapeless.err;
}

TEST_F(ExceptionsCommand, ACursorThatRepeatsStopsAllInsteadOfLoopingForever) {
  const std::string looping = R"({"items":[],"next_cursor":"same"})";
  for (int i = 0; i < 3; ++i) api_.override_next({200, "application/json", looping});
  auto r = run(with_url({"exceptions", "list", "--all"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("returned next_cursor 'same' twice"), std::string::npos) << r.err;
  EXPECT_EQ(api_.requests().size(), 2u);
}

TEST_F(ExceptionsCommand, UsageErrorsExit2) {
  for (std::vector<std::string> args : {std::vector<std::string>{"exceptions"},
                                        {"exceptions", "purge"},
                                        {"exceptions", "show"},
                                        {"exceptions", "show", "a", "b"},
                                        {"exceptions", "list", "extra"},
                                        {"exceptions", "list", "--status", "closed"},
                                        {"exceptions", "list", "--limit", "0"},
                                        {"exceptions", "list", "--limit", "ten"},
                                        {"exceptions", "list", "--timeout", "-1"},
                                        {"exceptions", "list", "--url", "https://example.invalid"},
                                        {"exceptions", "list", "--url", "not a url"},
                                        {"exceptions", "list", "--bogus"}}) {
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args.back() << "\n" << r.err;
    EXPECT_FALSE(r.err.empty()) << args.back();
  }
  EXPECT_TRUE(api_.requests().empty());
  auto help = run({"exceptions", "replay", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--data FILE"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace coregate::testing
