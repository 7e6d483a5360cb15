// The testing adapter's journal: one parseable JSON line per applied write, reloaded at create,
// torn tails cut, corruption refused, one owner at a time, and - the point of it - every write a
// caller saw answered APPLIED survives a SIGKILL of the process.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "tests/unit/plugins/testing/plugin_fixture.h"

namespace coregate::testing {
namespace {

TEST_F(TestingPlugin, JournalHoldsOneParseableLinePerAppliedWrite) {
  std::string journal = path("var/testing.jsonl");  // the folder is created on demand
  host_.set_clock_unix_ms(1'700'000'000'250);
  AdapterHandle& a = create(R"({"journal": )" + quote(journal) + R"(, "faults": {"rules": [
      {"key": "amb", "fault": "ambiguous_applied"}, {"key": "no", "fault": "rejected"}]}})",
                            "core");
  WriteCall call;
  call.key = "k1";
  call.outcome_id = "o-1";
  call.subject = "acct-1";
  call.outcome_type = "arrangement.promise_to_pay";
  call.record_json = R"({"amount":"10.00"})";
  call.attempt = 2;
  ASSERT_EQ(a.write(call).write_class, CG_WRITE_APPLIED);
  ASSERT_EQ(a.write("k1").write_class, CG_WRITE_ALREADY_APPLIED);
  ASSERT_EQ(a.write("no").write_class, CG_WRITE_REJECTED);
  ASSERT_EQ(a.write("amb").write_class, CG_WRITE_AMBIGUOUS);
  auto lines = journal_lines(journal);
  ASSERT_EQ(lines.size(), 2u) << "repeats and refusals add no line";
  EXPECT_EQ(lines[0], boost::json::parse(R"({"seq":1,"key":"k1","outcome_id":"o-1",
      "subject":"acct-1","outcome_type":"arrangement.promise_to_pay","reference":"core-1",
      "record":{"amount":"10.00"},"attempt":2,"answered":"applied",
      "applied_at":"2023-11-14T22:13:20.250Z","applied_at_ms":1700000000250})"));
  EXPECT_EQ(lines[1].at("key").as_string(), "amb");
  EXPECT_EQ(lines[1].at("answered").as_string(), "ambiguous");
  EXPECT_EQ(lines[1].at("seq").as_int64(), 2);
}

TEST_F(TestingPlugin, ARestartedAdapterSeesEarlierWrites) {
  std::string journal = path("j.jsonl");
  std::string config = R"({"journal": )" + quote(journal) + "}";
  {
    AdapterHandle& a = create(config, "core");
    ASSERT_EQ(a.write("k1").reference, "core-1");
    ASSERT_EQ(a.write("k2").reference, "core-2");
    destroy_all();
  }
  AdapterHandle& b = create(config, "core");
  WriteOutcome again = b.write("k1");
  EXPECT_EQ(again.write_class, CG_WRITE_ALREADY_APPLIED);
  EXPECT_EQ(again.reference, "core-1");
  EXPECT_EQ(b.probe("k2").reference, "core-2");
  EXPECT_EQ(b.write("k3").reference, "core-3") << "seq continues after a reload";
  EXPECT_TRUE(host_.logged("2 applied writes reloaded from"));
}

TEST_F(TestingPlugin, ATornLastLineIsCutAndTheWriteCountsAsNotApplied) {
  std::string journal = path("j.jsonl");
  std::string config = R"({"journal": )" + quote(journal) + "}";
  {
    AdapterHandle& a = create(config);
    ASSERT_EQ(a.write("k1").write_class, CG_WRITE_APPLIED);
    destroy_all();
  }
  {
    std::ofstream out(journal, std::ios::app);
    out << R"({"seq":2,"key":"torn","refer)";
  }
  AdapterHandle& b = create(config);
  EXPECT_TRUE(host_.logged("cut a torn last line"));
  EXPECT_EQ(b.probe("torn").state, CG_PROBE_NOT_FOUND);
  EXPECT_EQ(b.write("k2").write_class, CG_WRITE_APPLIED);
  auto lines = journal_lines(journal);  // parses every line: the tail was really cut
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].at("key").as_string(), "k2");
}

TEST_F(TestingPlugin, ACorruptJournalIsRefusedNamingFileAndLine) {
  struct Case {
    std::string content, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"{\"seq\":1,\"key\":\"a\",\"reference\":\"r1\"}\nGARBAGE\n", "line 2"},
           {"{\"seq\":1,\"key\":\"a\",\"reference\":\"r1\"}\n{\"seq\":2,\"key\":\"a\","
            "\"reference\":\"r2\"}\n",
            "key 'a' appears twice"},
           {"{\"seq\":2,\"key\":\"a\",\"reference\":\"r1\"}\n{\"seq\":1,\"key\":\"b\","
            "\"reference\":\"r2\"}\n",
            "seq 1 is not increasing"},
           {"{\"key\":\"a\"}\n", "lacks a string \"key\", a number \"seq\""},
       }) {
    std::string journal = path("corrupt.jsonl");
    {
      std::ofstream out(journal, std::ios::trunc);
      out << c.content;
    }
    std::string error = refusal(R"({"journal": )" + quote(journal) + "}");
    EXPECT_NE(error.find("journal '" + journal + "'"), std::string::npos) << error;
    EXPECT_NE(error.find(c.expected), std::string::npos) << error;
  }
}

TEST_F(TestingPlugin, TwoInstancesCannotShareAJournal) {
  std::string config = R"({"journal": )" + quote(path("shared.jsonl")) + "}";
  create(config, "first");
  std::string error = refusal(config);
  EXPECT_NE(error.find("in use by another adapter instance"), std::string::npos) << error;
  destroy_all();
  create(config, "second");  // the lock goes with the instance
}

TEST_F(TestingPlugin, AnUnwritableJournalFailsCreate) {
  std::string error = refusal(R"({"journal": "/proc/coregate-no/j.jsonl"})");
  EXPECT_NE(error.find("journal '/proc/coregate-no/j.jsonl'"), std::string::npos) << error;
}

TEST_F(TestingPlugin, ConcurrentJournaledWritesShareFsyncsAndKeepOneLineEach) {
  std::string journal = path("j.jsonl");
  AdapterHandle& a = create(R"({"journal": )" + quote(journal) + "}");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        WriteCall call;
        call.key = "k" + std::to_string(i);  // all threads race on the same 50 keys
        call.subject = "s" + std::to_string(t);
        ASSERT_EQ(a.write(call).status, CG_STATUS_OK);
      }
    });
  }
  for (auto& t : threads) t.join();
  auto lines = journal_lines(journal);
  ASSERT_EQ(lines.size(), 50u);
  std::set<std::string> keys;
  for (size_t i = 0; i < lines.size(); ++i) {
    keys.insert(std::string(lines[i].at("key").as_string()));
    EXPECT_EQ(lines[i].at("seq").as_int64(), static_cast<int64_t>(i + 1)) << "file order = seq";
  }
  EXPECT_EQ(keys.size(), 50u);
}

// The crash contract: a child process writes through the plugin and reports every key it saw
// answered APPLIED through a pipe; the parent SIGKILLs it mid-stream, reopens the journal and
// finds every reported key exactly once.
TEST_F(TestingPlugin, EveryWriteAnsweredAppliedSurvivesSigkill) {
  std::string journal = path("crash.jsonl");
  std::string config = R"({"journal": )" + quote(journal) + "}";
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    TestHost host;
    LoadedPlugin plugin(testing_plugin_path());
    AdapterHandle a(plugin.descriptor(), host, config);
    for (int i = 0;; ++i) {
      std::string key = "k" + std::to_string(i);
      if (a.write(key).write_class == CG_WRITE_APPLIED) {
        std::string line = key + "\n";
        if (::write(fds[1], line.data(), line.size()) < 0) ::_exit(3);
      }
    }
  }
  ::close(fds[1]);
  std::set<std::string> reported;
  std::string buffer;
  char chunk[4096];
  while (reported.size() < 300) {
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    ASSERT_GT(n, 0) << "the child stopped early";
    buffer.append(chunk, static_cast<size_t>(n));
    for (size_t end; (end = buffer.find('\n')) != std::string::npos; buffer.erase(0, end + 1)) {
      reported.insert(buffer.substr(0, end));
    }
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status));

  AdapterHandle& after = create(config);
  std::set<std::string> journaled;
  for (const auto& line : journal_lines(journal)) {
    EXPECT_TRUE(journaled.insert(std::string(line.at("key").as_string())).second)
        << "doubled: " << line.at("key");
  }
  for (const auto& key : reported) {
    EXPECT_TRUE(journaled.contains(key)) << key << " was answered APPLIED but is lost";
    EXPECT_EQ(after.probe(key).state, CG_PROBE_APPLIED) << key;
  }
  EXPECT_GE(journaled.size(), reported.size());
}

TEST_F(TestingPlugin, WithoutFsyncTheJournalStillRecordsEveryWrite) {
  std::string journal = path("fast.jsonl");
  AdapterHandle& a = create(R"({"journal_fsync": false, "journal": )" + quote(journal) + "}");
  for (int i = 0; i < 100; ++i)
    ASSERT_EQ(a.write("k" + std::to_string(i)).write_class, CG_WRITE_APPLIED);
  EXPECT_EQ(journal_lines(journal).size(), 100u);
}

}  // namespace
}  // namespace coregate::testing
