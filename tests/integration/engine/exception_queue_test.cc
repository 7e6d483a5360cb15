// The exception queue end to end against the real gateway: a rejected outcome is listed and shown
// with its attempts and payload; replay (corrected data re-validated, or as it was) writes it under
// the right key; discard needs a reason; scopes; audit records with the principal; cursor paging
// and filters; and the `coregate exceptions` CLI against the live API.
#include "tests/integration/engine/engine_gateway_fixture.h"

namespace coregate::testing::engine_it {
namespace {

class ExceptionQueueTest : public EngineGatewayTest {};

TEST_F(ExceptionQueueTest, RejectedOutcomeIsReplayedDiscardedAndAudited) {
  start(kFastEngine, reject_subject("poison", "422 amount exceeds the arrangement limit"));

  // A rejected write lands in the queue with its cause, its attempts and its payload.
  const std::string id = post("api-poison-1", "poison-1", "5000.00");
  await_status(id, "failed");
  const std::string good = post("api-good-1", "good-1");
  await_status(good, "applied");  // a poison subject holds back nobody else

  auto listed = exceptions_for(id, "?cause=rejected&adapter=core&status=open");
  ASSERT_EQ(listed.size(), 1u);
  const std::string exception_id(listed[0].at("id").as_string());
  EXPECT_EQ(listed[0].at("cause").as_string(), "rejected");
  EXPECT_EQ(listed[0].at("type").as_string(), "arrangement.promise_to_pay");
  EXPECT_EQ(listed[0].at("subject").as_string(), "poison-1");
  EXPECT_EQ(listed[0].at("attempts").as_int64(), 1);
  EXPECT_TRUE(exceptions_for(id, "?cause=retries_exhausted").empty());
  EXPECT_TRUE(exceptions_for(id, "?adapter=other").empty());

  TestClient op(port());
  Reply shown = call(op, verb::get, "/v1/exceptions/" + exception_id, kOperatorToken);
  ASSERT_EQ(shown.status, 200) << shown.body;
  auto detail = shown.json().as_object();
  EXPECT_EQ(detail.at("status").as_string(), "open");
  EXPECT_EQ(detail.at("outcome").at("data").at("amount").as_string(), "5000.00");
  EXPECT_EQ(detail.at("mapped_request").at("data").at("amount").as_string(), "5000.00");
  ASSERT_EQ(detail.at("attempts").as_array().size(), 1u);
  const auto& attempt = detail.at("attempts").as_array()[0].as_object();
  EXPECT_EQ(attempt.at("classification").as_string(), "rejected");
  EXPECT_NE(std::string(attempt.at("detail").as_string()).find("amount exceeds"), std::string::npos)
      << attempt;
  EXPECT_NE(std::string(detail.at("last_error").as_string()).find("amount exceeds"),
            std::string::npos);

  // Scopes: no token 401; a reader 403; on every route.
  const std::string base = "/v1/exceptions/" + exception_id;
  for (const auto& [method, target] :
       std::vector<std::pair<verb, std::string>>{{verb::get, "/v1/exceptions"},
                                                 {verb::get, base},
                                                 {verb::post, base + "/replay"},
                                                 {verb::post, base + "/discard"}}) {
    TestClient c(port());
    EXPECT_EQ(call(c, method, target, nullptr, "{}").status, 401) << target;
    EXPECT_EQ(call(c, method, target, kReaderToken, "{}").status, 403) << target;
    EXPECT_EQ(call(c, method, target, kWorkflowToken, "{}").status, 403) << target;
  }

  // Corrected data that breaks the schema: 400 naming every pointer; nothing changes.
  Reply bad = call(op, verb::post, base + "/replay", kOperatorToken,
                   R"({"data": {"amount": "lots", "currency": "zar"}})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> pointers;
  const json::value problem = bad.json();
  for (const auto& e : problem.at("errors").as_array())
    pointers.insert(std::string(e.at("pointer").as_string()));
  EXPECT_TRUE(pointers.count("/data/amount")) << bad.body;
  EXPECT_TRUE(pointers.count("/data/currency")) << bad.body;
  EXPECT_GE(pointers.size(), 3u) << "due_date is missing too: " << bad.body;
  EXPECT_EQ(call(op, verb::post, base + "/replay", kOperatorToken, R"({"data": [1]})").status, 400);
  EXPECT_EQ(call(op, verb::post, base + "/replay", kOperatorToken, "{not json").status, 400);
  EXPECT_EQ(call(op, verb::get, base, kOperatorToken).json().at("status").as_string(), "open");
  EXPECT_EQ(outcome_status(port(), id), "failed");

  // The target accepts again; replay with corrected data: applied under key generation 1.
  write_control(control_file(), {});
  Reply replayed = call(op, verb::post, base + "/replay", kOperatorToken,
                        R"({"data": {"amount": "450.00", "currency": "ZAR",
                                     "due_date": "2026-12-15"}, "reason": "split the promise"})");
  ASSERT_EQ(replayed.status, 202) << replayed.body;
  EXPECT_EQ(replayed.json().at("status").as_string(), "replayed");
  await_status(id, "applied");
  auto after = call(op, verb::get, base, kOperatorToken).json().as_object();
  EXPECT_EQ(after.at("status").as_string(), "replayed");
  EXPECT_EQ(after.at("resolution").at("action").as_string(), "replay");
  EXPECT_EQ(after.at("resolution").at("principal").as_string(), "operator");
  EXPECT_EQ(call(op, verb::post, base + "/replay", kOperatorToken, "{}").status, 409);
  EXPECT_EQ(call(op, verb::post, base + "/discard", kOperatorToken, R"({"reason": "late"})").status,
            409);
  EXPECT_EQ(call(op, verb::post, "/v1/exceptions/00000000-0000-7000-8000-000000000000/replay",
                 kOperatorToken, "{}")
                .status,
            404);

  // A replay without corrected data keeps the key: "<id>:0".
  write_control(control_file(), reject_subject("poison", "503 try later"));
  const std::string plain = post("api-poison-2", "poison-2");
  await_status(plain, "failed");
  auto plain_exceptions = exceptions_for(plain);
  ASSERT_EQ(plain_exceptions.size(), 1u);
  write_control(control_file(), {});
  Reply plain_replay =
      call(op, verb::post,
           "/v1/exceptions/" + std::string(plain_exceptions[0].at("id").as_string()) + "/replay",
           kOperatorToken, "");
  ASSERT_EQ(plain_replay.status, 202) << plain_replay.body;
  await_status(plain, "applied");

  // Discard: a reason is required; then the outcome is discarded; twice is a conflict.
  write_control(control_file(), reject_subject("poison", "422 closed account"));
  const std::string dropped = post("api-poison-3", "poison-3");
  await_status(dropped, "failed");
  auto dropped_exceptions = exceptions_for(dropped);
  ASSERT_EQ(dropped_exceptions.size(), 1u);
  const std::string drop_base =
      "/v1/exceptions/" + std::string(dropped_exceptions[0].at("id").as_string());
  EXPECT_EQ(call(op, verb::post, drop_base + "/discard", kOperatorToken, "").status, 400);
  EXPECT_EQ(call(op, verb::post, drop_base + "/discard", kOperatorToken, "{}").status, 400);
  EXPECT_EQ(
      call(op, verb::post, drop_base + "/discard", kOperatorToken, R"({"reason": ""})").status,
      400);
  EXPECT_EQ(call(op, verb::post, drop_base + "/discard", kOperatorToken, R"({"reason": 7})").status,
            400);
  Reply discarded = call(op, verb::post, drop_base + "/discard", kOperatorToken,
                         R"({"reason": "account closed; customer paid in branch"})");
  ASSERT_EQ(discarded.status, 200) << discarded.body;
  EXPECT_EQ(outcome_status(port(), dropped), "discarded");
  EXPECT_EQ(
      call(op, verb::post, drop_base + "/discard", kOperatorToken, R"({"reason": "again"})").status,
      409);
  EXPECT_EQ(call(op, verb::post, drop_base + "/replay", kOperatorToken, "{}").status, 409);
  auto dropped_detail = call(op, verb::get, drop_base, kOperatorToken).json().as_object();
  EXPECT_EQ(dropped_detail.at("status").as_string(), "discarded");
  EXPECT_EQ(dropped_detail.at("resolution").at("reason").as_string(),
            "account closed; customer paid in branch");
  EXPECT_EQ(exceptions_for(dropped, "?status=discarded").size(), 1u);
  EXPECT_TRUE(exceptions_for(dropped, "?status=open").empty());

  // Filters and cursor paging over the three exceptions (one per page).
  auto ids_of = [](const std::vector<json::object>& items) {
    std::vector<std::string> ids;
    for (const auto& e : items) ids.emplace_back(e.at("id").as_string());
    return ids;
  };
  const auto everything = ids_of(list_all(port(), "/v1/exceptions", kOperatorToken));
  EXPECT_EQ(everything.size(), 3u);
  EXPECT_EQ(ids_of(list_all(port(), "/v1/exceptions", kOperatorToken, 1)), everything)
      << "paging one at a time must list the same exceptions in the same order";
  EXPECT_EQ(
      list_all(port(), "/v1/exceptions?type=arrangement.promise_to_pay", kOperatorToken).size(),
      3u);
  EXPECT_TRUE(list_all(port(), "/v1/exceptions?type=case.note_added", kOperatorToken).empty());
  EXPECT_EQ(list_all(port(), "/v1/exceptions?status=replayed", kOperatorToken, 1).size(), 2u);
  EXPECT_EQ(
      list_all(port(), "/v1/exceptions?status=replayed&cause=rejected&adapter=core", kOperatorToken)
          .size(),
      2u);
  for (const char* query : {"?status=bogus", "?cause=bogus", "?limit=0", "?limit=100000",
                            "?limit=x", "?cursor=zzz", "?cursor=e-1"}) {
    EXPECT_EQ(call(op, verb::get, std::string("/v1/exceptions") + query, kOperatorToken).status,
              400)
        << query;
  }
  EXPECT_EQ(call(op, verb::get, "/v1/exceptions/not-an-id", kOperatorToken).status, 404);

  op.close();
  const int status = gateway_->kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << gateway_->log_text();

  // The target: the corrected replay under ":g1" with the corrected data, the plain replay under
  // ":0", the discarded one never.
  std::map<std::string, JournalLine> by_key;
  for (auto& line : read_journal(journal())) by_key[line.key] = line;
  ASSERT_TRUE(by_key.count(id + ":0:g1")) << "no journal line for " << id << ":0:g1";
  EXPECT_FALSE(by_key.count(id + ":0"));
  EXPECT_EQ(by_key[id + ":0:g1"].record.at("data").at("amount").as_string(), "450.00");
  EXPECT_TRUE(by_key.count(plain + ":0"));
  EXPECT_FALSE(by_key.count(dropped + ":0"));
  EXPECT_TRUE(by_key.count(good + ":0"));

  // Both decisions are in the audit log with the principal.
  auto rows = sqlite_rows(dir_ / "store.db",
                          "SELECT action, principal, object_id FROM audit_log WHERE action LIKE "
                          "'exception.%' ORDER BY seq");
  const std::string expected_replay = "exception.replay|operator|" + exception_id;
  const std::string expected_discard =
      "exception.discard|operator|" + std::string(dropped_exceptions[0].at("id").as_string());
  EXPECT_NE(std::find(rows.begin(), rows.end(), expected_replay), rows.end())
      << ::testing::PrintToString(rows);
  EXPECT_NE(std::find(rows.begin(), rows.end(), expected_discard), rows.end())
      << ::testing::PrintToString(rows);
  EXPECT_EQ(rows.size(), 3u) << "two replays and one discard: " << ::testing::PrintToString(rows);
  // The refused requests (400, 403, 409) left no audit record.
}

TEST_F(ExceptionQueueTest, ExceptionsCliListsTheLiveQueue) {
  const auto cli = coregate_binary();
  ProcessResult help =
      run_process({cli.string(), "exceptions", "--help"}, std::chrono::seconds(10));
  if (!help.exited || help.exit_code != 0)
    GTEST_SKIP() << "`coregate exceptions` is not available in this build";
  start(kFastEngine, reject_subject("poison", "422 refused by the core"));
  const std::string id = post("cli-poison-1", "poison-cli");
  await_status(id, "failed");
  auto listed = exceptions_for(id);
  ASSERT_EQ(listed.size(), 1u);
  const std::string exception_id(listed[0].at("id").as_string());
  const std::string url = "http://127.0.0.1:" + std::to_string(port());

  ProcessResult table = run_process(
      {cli.string(), "exceptions", "list", "--url", url, "--cause", "rejected", "--all"},
      std::chrono::seconds(30), {{"COREGATE_TOKEN", kOperatorToken}});
  EXPECT_TRUE(table.exited && table.exit_code == 0) << table.out << table.err;
  EXPECT_NE(table.out.find(exception_id), std::string::npos) << table.out;

  ProcessResult as_json =
      run_process({cli.string(), "exceptions", "list", "--url", url, "--json"},
                  std::chrono::seconds(30), {{"COREGATE_TOKEN", kOperatorToken}});
  ASSERT_TRUE(as_json.exited && as_json.exit_code == 0) << as_json.out << as_json.err;
  boost::system::error_code ec;
  json::value parsed = json::parse(as_json.out, ec);
  ASSERT_FALSE(ec) << as_json.out;
  EXPECT_NE(json::serialize(parsed).find(exception_id), std::string::npos) << as_json.out;

  // A token without exceptions:manage: the CLI fails and says why.
  ProcessResult refused = run_process({cli.string(), "exceptions", "list", "--url", url},
                                      std::chrono::seconds(30), {{"COREGATE_TOKEN", kReaderToken}});
  EXPECT_TRUE(refused.exited && refused.exit_code != 0) << refused.out << refused.err;

  // Discard through the CLI, then the API shows it discarded.
  ProcessResult discard =
      run_process({cli.string(), "exceptions", "discard", exception_id, "--url", url, "--reason",
                   "duplicate of a manual booking"},
                  std::chrono::seconds(30), {{"COREGATE_TOKEN", kOperatorToken}});
  EXPECT_TRUE(discard.exited && discard.exit_code == 0) << discard.out << discard.err;
  EXPECT_EQ(outcome_status(port(), id), "discarded");
}

}  // namespace
}  // namespace coregate::testing::engine_it
