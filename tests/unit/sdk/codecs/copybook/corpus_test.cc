// Acceptance against the published Cobrix corpus (read in place from ../shared/corpora/cobrix):
// every field of every record is compared with Cobrix's expected JSON (numbers exactly, as
// decimals; COMP-1/COMP-2 within float precision) and the test6 layout with every offset/length.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/encoder.h"
#include "coregate/codecs/copybook/parser.h"
#include "coregate/codecs/copybook/record_reader.h"
#include "tests/unit/sdk/codecs/copybook/json_flat.h"

namespace cb = coregate::codecs::copybook;
using cb::testing::canonical_decimal;
using cb::testing::Flat;
using cb::testing::FlatValue;

namespace {

const std::filesystem::path kCorpus =
    std::filesystem::path(COREGATE_SOURCE_DIR) / ".." / "shared" / "corpora" / "cobrix";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::vector<std::string> v;
  std::ifstream in(p);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty()) v.push_back(l);
  return v;
}

#define REQUIRE_CORPUS()                                        \
  if (!std::filesystem::exists(kCorpus / "test6_copybook.cob")) \
  GTEST_SKIP() << "Cobrix corpus not found at " << kCorpus      \
               << " (the published corpora live beside the repository in ../shared)"

bool is_float_field(const std::string& path) {
  return path.find("FLOAT_01") != std::string::npos || path.find("DOUBLE_01") != std::string::npos;
}

// Compares every member of `expected` with `actual`. `zero_means_null`: test6's expected file has
// nulls filled with 0, so an absent value of ours matches an expected 0.
void compare_record(const Flat& expected, const Flat& actual, const std::string& what,
                    bool zero_means_null, int& compared) {
  for (const auto& [path, ev] : expected) {
    auto it = actual.find(path);
    if (it == actual.end()) {
      if (zero_means_null && ev.kind == FlatValue::kNumber && canonical_decimal(ev.text) == "0")
        continue;
      ADD_FAILURE() << what << ": field " << path << " missing (expected " << ev.text << ")";
      continue;
    }
    const FlatValue& av = it->second;
    ++compared;
    if (ev.kind == FlatValue::kNumber) {
      if (is_float_field(path)) {
        const double e = std::stod(ev.text), a = std::stod(av.text);
        const double tol = path.find("FLOAT") != std::string::npos ? 1e-6 : 1e-12;
        EXPECT_LE(std::fabs(e - a), tol * std::max(1.0, std::fabs(e)))
            << what << ": " << path << " expected " << ev.text << " got " << av.text;
      } else {
        EXPECT_EQ(canonical_decimal(ev.text), canonical_decimal(av.text))
            << what << ": " << path << " (expected " << ev.text << ", got " << av.text << ")";
      }
    } else {
      EXPECT_EQ(ev.text, av.text) << what << ": " << path;
    }
  }
}

}  // namespace

TEST(CopybookCorpus, Test6LayoutMatchesEveryOffsetAndLength) {
  REQUIRE_CORPUS();
  cb::Copybook book = cb::parse_copybook(slurp(kCorpus / "test6_copybook.cob"));
  int checked = 0;
  for (const std::string& l : lines_of(kCorpus / "test6_expected" / "test6_layout.txt")) {
    std::istringstream ss(l);
    int level;
    std::string name;
    long fld, start, end, length;
    if (!(ss >> level >> name >> fld >> start >> end >> length)) continue;
    std::string cobol = name;
    for (char& c : cobol)
      if (c == '_') c = '-';
    int idx = book.find(cobol);
    ASSERT_GE(idx, 0) << "field " << cobol << " not found";
    const cb::Field& f = book.fields[static_cast<std::size_t>(idx)];
    EXPECT_EQ(static_cast<long>(f.offset) + 1, start) << cobol;
    EXPECT_EQ(static_cast<long>(f.length), length) << cobol;
    EXPECT_EQ(static_cast<long>(f.offset + f.length), end) << cobol;
    ++checked;
  }
  EXPECT_EQ(checked, 196);
}

TEST(CopybookCorpus, Test6EveryFieldOfAllRecords) {
  REQUIRE_CORPUS();
  cb::Copybook book = cb::parse_copybook(slurp(kCorpus / "test6_copybook.cob"));
  cb::DecodeOptions opt;
  opt.float_format = cb::FloatFormat::kIeee754;
  opt.printable_ascii_only = true;  // Cobrix's plain cp037
  opt.lenient = true;               // Cobrix reads invalid values as null
  cb::RecordDecoder dec(book, opt);
  ASSERT_EQ(dec.record_length(), 1493u);
  const std::string data = slurp(kCorpus / "test6_data" / "INTEGR.TYPES.NOV28.DATA.dat");
  ASSERT_EQ(data.size(), 100u * 1493u);
  std::map<std::string, Flat> by_id;
  for (std::size_t r = 0; r < 100; ++r) {
    std::string_view json;
    cb::DecodeError err;
    ASSERT_TRUE(dec.decode({reinterpret_cast<const std::uint8_t*>(data.data()) + r * 1493, 1493},
                           json, err))
        << err.to_string();
    Flat flat = cb::testing::flatten(json);
    by_id[canonical_decimal(flat.at("ID").text)] = std::move(flat);
  }
  int compared = 0, records = 0;
  for (const std::string& l : lines_of(kCorpus / "test6_expected" / "test6.txt")) {
    Flat e = cb::testing::flatten(l);
    const std::string id = canonical_decimal(e.at("ID").text);
    ASSERT_TRUE(by_id.count(id)) << "no record with ID " << id;
    compare_record(e, by_id[id], "test6 ID " + id, true, compared);
    ++records;
  }
  EXPECT_EQ(records, 100);
  EXPECT_GT(compared, 100 * 150);
}

class Test9CodePages : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(Test9CodePages, EveryFieldOfTheFirst60Records) {
  REQUIRE_CORPUS();
  auto [page, file] = GetParam();
  cb::Copybook book = cb::parse_copybook(slurp(kCorpus / "test9_copybook.cob"));
  cb::DecodeOptions opt;
  opt.code_page = page;
  opt.trim = cb::Trim::kNone;
  opt.cobrix_control_characters = true;  // Cobrix's *_ext tables differ in controls only
  cb::RecordDecoder dec(book, opt);
  ASSERT_EQ(dec.record_length(), 45u);
  const std::string data = slurp(kCorpus / "test9_data" / "TRAN.APR14.NPT.DATA.dat");
  auto expected = lines_of(kCorpus / "test9_expected" / file);
  ASSERT_EQ(expected.size(), 60u);
  int compared = 0;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    std::string_view json;
    cb::DecodeError err;
    ASSERT_TRUE(
        dec.decode({reinterpret_cast<const std::uint8_t*>(data.data()) + r * 45, 45}, json, err))
        << err.to_string();
    Flat a = cb::testing::flatten(json);
    Flat e = cb::testing::flatten(expected[r]);
    EXPECT_EQ(a.size(), e.size()) << "record " << r;
    compare_record(e, a, std::string(page) + " record " + std::to_string(r), false, compared);
  }
  EXPECT_EQ(compared, 60 * 6);
}

INSTANTIATE_TEST_SUITE_P(Cobrix, Test9CodePages,
                         ::testing::Values(std::make_pair("cp037", "test9_cp037_ext.txt"),
                                           std::make_pair("cp273", "test9_cp273.txt"),
                                           std::make_pair("cp500", "test9_cp500.txt"),
                                           std::make_pair("cp1140", "test9_cp1140.txt"),
                                           std::make_pair("cp1148", "test9_cp1148.txt")),
                         [](const auto& info) { return std::string(info.param.first); });

TEST(CopybookCorpus, Test1OccursDependingOnWithRedefines) {
  REQUIRE_CORPUS();
  cb::Copybook book = cb::parse_copybook(slurp(kCorpus / "test1_copybook.cob"));
  cb::DecodeOptions opt;
  opt.printable_ascii_only = true;  // Cobrix's plain cp037
  opt.lenient = true;
  cb::RecordDecoder dec(book, opt);
  ASSERT_EQ(dec.record_length(), 2202u);
  const std::string data = slurp(kCorpus / "test1_data" / "example.bin");
  auto expected = lines_of(kCorpus / "test1_expected" / "test1.txt");
  ASSERT_EQ(expected.size(), 10u);
  int compared = 0;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    std::string_view json;
    cb::DecodeError err;
    ASSERT_TRUE(dec.decode({reinterpret_cast<const std::uint8_t*>(data.data()) + r * 2202, 2202},
                           json, err))
        << err.to_string();
    Flat a = cb::testing::flatten(json);
    Flat e = cb::testing::flatten(expected[r]);
    EXPECT_EQ(a.size(), e.size()) << "record " << r << ": " << json;
    compare_record(e, a, "test1 record " + std::to_string(r), false, compared);
  }
  EXPECT_GT(compared, 10 * 9);
}

namespace {

// Decodes a test5 file and compares with the expected records (copybook fields only).
void check_test5(const std::filesystem::path& file, bool little_endian, bool with_rules) {
  cb::Copybook book = cb::parse_copybook(slurp(kCorpus / "test5_copybook.cob"));
  cb::DecodeOptions opt;
  opt.printable_ascii_only = true;
  opt.lenient = true;
  if (with_rules)
    opt.redefine_rules = {{"SEGMENT-ID", "C", "STATIC-DETAILS"}, {"SEGMENT-ID", "P", "CONTACTS"}};
  cb::RecordDecoder dec(book, opt);
  std::ifstream in(file, std::ios::binary);
  cb::StreamSource src(in);
  cb::RecordFormatOptions rf;
  rf.format = cb::RecordFormat::kVariable;
  rf.rdw_little_endian = little_endian;
  cb::RecordReader reader(src, rf);
  auto expected = lines_of(kCorpus / "test5_expected" / "test5.txt");
  ASSERT_EQ(expected.size(), 60u);
  int compared = 0, seen_c = 0, seen_p = 0;
  for (std::size_t r = 0; r < expected.size(); ++r) {
    std::span<const std::uint8_t> rec;
    ASSERT_EQ(reader.next(rec), cb::ReadStatus::kRecord) << reader.error();
    Flat e = cb::testing::flatten(expected[r]);
    EXPECT_EQ(std::to_string(rec.size()), e.at("Record_Byte_Length").text) << "record " << r;
    for (const char* generated :
         {"File_Id", "Record_Id", "Record_Byte_Length", "Seg_Id0", "Seg_Id1"})
      e.erase(generated);
    std::string_view json;
    cb::DecodeError err;
    ASSERT_TRUE(dec.decode(rec, json, err)) << err.to_string();
    Flat a = cb::testing::flatten(json);
    const std::string seg = e.at("SEGMENT_ID").text;
    (seg == "C" ? seen_c : seen_p)++;
    if (with_rules) {
      // Only the chosen view is present; it equals Cobrix's reading of that view.
      const std::string other = seg == "C" ? "CONTACTS." : "STATIC_DETAILS.";
      for (auto it = e.begin(); it != e.end();)
        it = it->first.rfind(other, 0) == 0 ? e.erase(it) : std::next(it);
      for (const auto& [path, v] : a)
        EXPECT_NE(path.rfind(other, 0), 0u) << "record " << r << " has " << path;
    }
    EXPECT_EQ(a.size(), e.size()) << "record " << r << ": " << json;
    compare_record(e, a, "test5 record " + std::to_string(r), false, compared);
  }
  EXPECT_GT(seen_c, 0);
  EXPECT_GT(seen_p, 0);
  EXPECT_GT(compared, 60 * 4);
}

}  // namespace

TEST(CopybookCorpus, Test5VariableRecordsLittleEndianRdw) {
  REQUIRE_CORPUS();
  check_test5(kCorpus / "test5_data" / "COMP.DETAILS.SEP30.DATA.dat", true, false);
}

TEST(CopybookCorpus, Test5VariableRecordsBigEndianRdw) {
  REQUIRE_CORPUS();
  check_test5(kCorpus / "test5b_data" / "COMP.DETAILS.FEB02.DATA.RDW.BE.dat", false, false);
}

TEST(CopybookCorpus, Test5SegmentRulesPickOneViewPerRecord) {
  REQUIRE_CORPUS();
  check_test5(kCorpus / "test5_data" / "COMP.DETAILS.SEP30.DATA.dat", true, true);
  check_test5(kCorpus / "test5b_data" / "COMP.DETAILS.FEB02.DATA.RDW.BE.dat", false, true);
}

TEST(CopybookCorpus, Test5WrongRdwByteOrderIsReported) {
  REQUIRE_CORPUS();
  std::ifstream in(kCorpus / "test5_data" / "COMP.DETAILS.SEP30.DATA.dat", std::ios::binary);
  cb::StreamSource src(in);
  cb::RecordFormatOptions rf;
  rf.format = cb::RecordFormat::kVariable;  // big-endian on little-endian data
  cb::RecordReader reader(src, rf);
  std::span<const std::uint8_t> rec;
  EXPECT_EQ(reader.next(rec), cb::ReadStatus::kError);
  EXPECT_NE(reader.error().find("reserved"), std::string::npos) << reader.error();
}

TEST(CopybookCorpus, Test6DecodeEncodeDecodeIsStable) {
  REQUIRE_CORPUS();
  // Strict decoding (every test6 value is valid), untrimmed text, then encode and decode again:
  // the JSON must not change. (Bytes may differ where several encodings are valid, e.g. an
  // unsigned packed sign C versus F, or '+' versus ' ' in a '-' edited position.)
  cb::Copybook book = cb::parse_copybook(slurp(kCorpus / "test6_copybook.cob"));
  cb::DecodeOptions opt;
  opt.float_format = cb::FloatFormat::kIeee754;
  opt.trim = cb::Trim::kNone;
  cb::RecordDecoder dec(book, opt);
  cb::EncodeOptions eo;
  eo.float_format = cb::FloatFormat::kIeee754;
  cb::RecordEncoder enc(book, eo);
  const std::string data = slurp(kCorpus / "test6_data" / "INTEGR.TYPES.NOV28.DATA.dat");
  for (std::size_t r = 0; r < 100; ++r) {
    std::string first, second;
    cb::DecodeError err;
    ASSERT_TRUE(dec.decode({reinterpret_cast<const std::uint8_t*>(data.data()) + r * 1493, 1493},
                           first, err))
        << err.to_string();
    std::vector<std::uint8_t> bytes;
    cb::EncodeError ee;
    ASSERT_TRUE(enc.encode(first, bytes, ee)) << "record " << r << ": " << ee.to_string();
    ASSERT_TRUE(dec.decode(bytes, second, err)) << err.to_string();
    EXPECT_EQ(first, second) << "record " << r;
  }
}
