// `coregate copybook` end to end: layout printing, decoding a published file, segment rules,
// encoding back, and the exit codes for bad options (2) and bad data (1).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const fs::path kBinary = fs::path(COREGATE_BINARY_DIR) / "bin" / "coregate";
const fs::path kCorpus = fs::path(COREGATE_SOURCE_DIR) / ".." / "shared" / "corpora" / "cobrix";

struct CliResult {
  int code;
  std::string out;
};

CliResult run(const std::string& args) {
  const std::string cmd = "'" + kBinary.string() + "' copybook " + args + " 2>&1";
  CliResult r{0, ""};
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

class CopybookCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kBinary)) GTEST_SKIP() << kBinary << " is not built";
    if (!fs::exists(kCorpus / "test1_copybook.cob"))
      GTEST_SKIP() << "Cobrix corpus not found at " << kCorpus;
    tmp_ = fs::temp_directory_path() / ("coregate_cli_" + std::to_string(::getpid()));
    fs::create_directories(tmp_);
  }
  void TearDown() override {
    if (!tmp_.empty()) fs::remove_all(tmp_);
  }
  fs::path tmp_;
};

}  // namespace

TEST_F(CopybookCli, PrintsTheLayout) {
  CliResult r = run("--copybook '" + (kCorpus / "test1_copybook.cob").string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("RECORD.COMPANY.COMPANY-ID-NUM"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OCCURS 0 TO 80 DEPENDING ON NUMBER-OF-ACCTS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("record length 2202 bytes"), std::string::npos) << r.out;
}

TEST_F(CopybookCli, DecodesVariableRecordsWithSegmentViews) {
  CliResult r =
      run("--copybook '" + (kCorpus / "test5_copybook.cob").string() + "' --data '" +
          (kCorpus / "test5_data" / "COMP.DETAILS.SEP30.DATA.dat").string() +
          "' --recfm V --rdw-little-endian --printable-only --lenient --segment-field SEGMENT-ID "
          "--segment-views C=STATIC-DETAILS,P=CONTACTS --limit 2");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(count_lines(r.out), 2);
  EXPECT_NE(
      r.out.find(
          R"("SEGMENT_ID":"C","COMPANY_ID":"9377942526","STATIC_DETAILS":{"COMPANY_NAME":"Joan Q & Z")"),
      std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find(
          R"("SEGMENT_ID":"P","COMPANY_ID":"9377942526","CONTACTS":{"PHONE_NUMBER":"+(277) 944 44 55")"),
      std::string::npos)
      << r.out;
}

TEST_F(CopybookCli, EncodeThenDecodeGivesTheSameJson) {
  const std::string book = "'" + (kCorpus / "test1_copybook.cob").string() + "'";
  CliResult first = run("--copybook " + book + " --data '" +
                        (kCorpus / "test1_data" / "example.bin").string() + "'");
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_EQ(count_lines(first.out), 10);
  std::ofstream(tmp_ / "in.jsonl") << first.out;
  CliResult enc = run("--copybook " + book + " --encode --data '" + (tmp_ / "in.jsonl").string() +
                      "' --output '" + (tmp_ / "out.dat").string() + "'");
  ASSERT_EQ(enc.code, 0) << enc.out;
  EXPECT_EQ(fs::file_size(tmp_ / "out.dat"), 10u * 2202u);
  CliResult second = run("--copybook " + book + " --data '" + (tmp_ / "out.dat").string() + "'");
  ASSERT_EQ(second.code, 0) << second.out;
  EXPECT_EQ(second.out, first.out);
}

TEST_F(CopybookCli, ExitCodesForBadOptionsAndBadData) {
  const std::string book = "'" + (kCorpus / "test5_copybook.cob").string() + "'";
  EXPECT_EQ(run("--copybook " + book + " --recfm X --data /dev/null").code, 2);
  EXPECT_EQ(run("--copybook " + book + " --codepage cp999 --data /dev/null").code, 2);
  EXPECT_EQ(run("--copybook /nonexistent.cob").code, 2);
  std::ofstream(tmp_ / "bad.cob") << "01 R.\n  05 A PIC 9(3.\n";
  CliResult syntax = run("--copybook '" + (tmp_ / "bad.cob").string() + "'");
  EXPECT_EQ(syntax.code, 2);
  EXPECT_NE(syntax.out.find("line 2, column 13"), std::string::npos) << syntax.out;
  // Big-endian reading of little-endian RDWs: malformed data, exit 1 with the offset.
  CliResult wrong = run("--copybook " + book + " --recfm V --data '" +
                        (kCorpus / "test5_data" / "COMP.DETAILS.SEP30.DATA.dat").string() + "'");
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.out.find("offset 0"), std::string::npos) << wrong.out;
  // A bad packed value in strict mode names the record and field.
  std::ofstream(tmp_ / "p.cob") << "01 R.\n  05 A PIC X(2).\n  05 P PIC S9(3) COMP-3.\n";
  std::ofstream(tmp_ / "p.dat", std::ios::binary)
      << std::string("\xC1\xC1\x12\x3C\xC1\xC1\x12\x37", 8);
  CliResult bad = run("--copybook '" + (tmp_ / "p.cob").string() + "' --data '" +
                      (tmp_ / "p.dat").string() + "'");
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("record 2"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("R.P at offset 2"), std::string::npos) << bad.out;
  EXPECT_EQ(count_lines(bad.out), 2);  // the good first record, then the error
}
