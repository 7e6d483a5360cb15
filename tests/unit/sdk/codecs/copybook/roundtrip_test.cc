// Property tests: random values for every usage and picture shape are encoded, decoded and must
// come back exactly (decimals compared as canonical text); re-encoding the decoded JSON must give
// the same bytes. Also checks that values which do not fit are refused, never rounded.
#include <gtest/gtest.h>

#include <random>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/encoder.h"
#include "coregate/codecs/copybook/parser.h"
#include "tests/unit/sdk/codecs/copybook/json_flat.h"

namespace cb = coregate::codecs::copybook;
using cb::testing::canonical_decimal;

namespace {

struct Shape {
  const char* clause;  // PICTURE + USAGE + SIGN text after the name
  int int_digits;      // integer digits the random value may use
  int frac_digits;     // decimal places the random value may use
  bool is_signed;
  int trailing_zeros = 0;      // P scaling: the value is a multiple of 10^n
  int leading_frac_zeros = 0;  // P scaling: the first n decimal places are zero
  friend void PrintTo(const Shape& shape, std::ostream* os) { *os << shape.clause; }
};

const Shape kShapes[] = {
    {"PIC 9(1)", 1, 0, false},
    {"PIC 9(5)", 5, 0, false},
    {"PIC S9(4)", 4, 0, true},
    {"PIC S9(7)V99", 7, 2, true},
    {"PIC 9(18)", 18, 0, false},
    {"PIC S9(37)", 37, 0, true},
    {"PIC SV9(5)", 0, 5, true},
    {"PIC S9(5) SIGN LEADING", 5, 0, true},
    {"PIC S9(5)V9 SIGN LEADING SEPARATE", 5, 1, true},
    {"PIC S9(3)V99 SIGN TRAILING SEPARATE", 3, 2, true},
    {"PIC S9(3).99", 3, 2, true},
    {"PIC 9(1) COMP-3", 1, 0, false},
    {"PIC S9(2) COMP-3", 2, 0, true},
    {"PIC S9(7)V99 COMP-3", 7, 2, true},
    {"PIC 9(10)V9(8) COMP-3", 10, 8, false},
    {"PIC S9(37) COMP-3", 37, 0, true},
    {"PIC S9(18)V9(10) PACKED-DECIMAL", 18, 10, true},
    {"PIC 9(4) COMP", 4, 0, false},
    {"PIC S9(4) COMP", 4, 0, true},
    {"PIC S9(9) BINARY", 9, 0, true},
    {"PIC S9(15)V99 COMP-4", 15, 2, true},
    {"PIC 9(18) COMP", 18, 0, false},
    {"PIC S9(20) COMP", 20, 0, true},
    {"PIC S9(37) COMP", 37, 0, true},
    {"PIC S9(4) COMP-5", 4, 0, true},
    {"PIC 9(9) COMP-5", 9, 0, false},
    {"PIC S9(18) COMP-5", 18, 0, true},
    {"PIC S9(5)PPP COMP-3", 5, 0, true, 3},
    {"PIC SPPP9(3) COMP-3", 0, 6, true, 0, 3},
    {"PIC 9(3)PP", 3, 0, false, 2},
    {"PIC ZZZ9.99-", 4, 2, true},
    {"PIC +9(5)", 5, 0, true},
    {"PIC -ZZ,ZZ9.99", 5, 2, true},
    {"PIC ZZ9.99CR", 3, 2, true},
    {"PIC ZZ9.99DB", 3, 2, true},
    {"PIC $$$,$$9.99", 5, 2, false},  // the first $ is the sign position, not a digit
    {"PIC ***,**9.99", 6, 2, false},
    {"PIC ----9", 4, 0, true},
    {"PIC ++++9.9", 4, 1, true},
    {"PIC 99B99/99", 6, 0, false},
};

std::string random_decimal(std::mt19937_64& rng, const Shape& s) {
  std::uniform_int_distribution<int> digit(0, 9), coin(0, 3);
  std::string ip, fp;
  const int mode = coin(rng);  // 0: zero-ish, 1: full width, 2/3: random width
  const int iw =
      mode == 1 ? s.int_digits : std::uniform_int_distribution<int>(0, s.int_digits)(rng);
  for (int i = 0; i < iw; ++i) ip.push_back(static_cast<char>('0' + digit(rng)));
  if (mode == 1 && !ip.empty() && ip[0] == '0') ip[0] = '9';
  const int fw = mode == 0 ? 0 : s.frac_digits;
  for (int i = 0; i < fw; ++i) fp.push_back(static_cast<char>('0' + digit(rng)));
  for (int i = 0; i < s.leading_frac_zeros && i < static_cast<int>(fp.size()); ++i)
    fp[static_cast<std::size_t>(i)] = '0';
  if (ip.empty()) ip = "0";
  std::string v = ip;
  if (!ip.empty() && ip != "0") v += std::string(static_cast<std::size_t>(s.trailing_zeros), '0');
  if (!fp.empty()) v += "." + fp;
  if (s.is_signed && coin(rng) < 2) v = "-" + v;
  return v;
}

}  // namespace

class CopybookRoundTrip : public ::testing::TestWithParam<std::tuple<Shape, const char*>> {};

TEST_P(CopybookRoundTrip, RandomValuesSurviveEncodeDecode) {
  const auto& [shape, page] = GetParam();
  const std::string source = std::string("01 R.\n 05 V ") + shape.clause + ".\n 05 T PIC X(4).\n";
  cb::Copybook book = cb::parse_copybook(source);
  cb::EncodeOptions eo;
  eo.code_page = page;
  cb::DecodeOptions dopt;
  dopt.code_page = page;
  dopt.trim = cb::Trim::kNone;
  cb::RecordEncoder enc(book, eo);
  cb::RecordDecoder dec(book, dopt);
  std::mt19937_64 rng(std::hash<std::string>{}(source + page));
  for (int i = 0; i < 300; ++i) {
    const std::string value = random_decimal(rng, shape);
    const std::string json = R"({"V":")" + value + R"(","T":"ab Z"})";
    std::vector<std::uint8_t> bytes;
    cb::EncodeError ee;
    ASSERT_TRUE(enc.encode(json, bytes, ee))
        << shape.clause << " value " << value << ": " << ee.to_string();
    ASSERT_EQ(bytes.size(), book.record_length());
    std::string_view out;
    cb::DecodeError de;
    ASSERT_TRUE(dec.decode(bytes, out, de))
        << shape.clause << " value " << value << ": " << de.to_string();
    auto flat = cb::testing::flatten(out);
    ASSERT_TRUE(flat.count("V")) << out;
    EXPECT_EQ(canonical_decimal(flat["V"].text), canonical_decimal(value))
        << shape.clause << " json " << out;
    EXPECT_EQ(flat["T"].text, "ab Z");
    // Re-encoding what the decoder wrote gives the same bytes.
    std::vector<std::uint8_t> again;
    ASSERT_TRUE(enc.encode(out, again, ee)) << ee.to_string();
    EXPECT_EQ(again, bytes) << shape.clause << " value " << value;
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, CopybookRoundTrip,
                         ::testing::Combine(::testing::ValuesIn(kShapes),
                                            ::testing::Values("cp037", "cp1047", "ascii")),
                         [](const auto& info) {
                           std::string n = std::get<0>(info.param).clause;
                           std::string r;
                           for (char c : n)
                             r.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
                           return std::to_string(info.index) + "_" + r + "_" +
                                  std::get<1>(info.param);
                         });

TEST(CopybookRoundTripFloats, IeeeAndHexFloatsRoundTrip) {
  cb::Copybook book = cb::parse_copybook("01 R.\n 05 F COMP-1.\n 05 D COMP-2.\n");
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-1e6, 1e6);
  for (auto fmt : {cb::FloatFormat::kIeee754, cb::FloatFormat::kIbmHex}) {
    cb::EncodeOptions eo;
    eo.float_format = fmt;
    cb::DecodeOptions dopt;
    dopt.float_format = fmt;
    cb::RecordEncoder enc(book, eo);
    cb::RecordDecoder dec(book, dopt);
    for (int i = 0; i < 500; ++i) {
      const double d = dist(rng);
      const float f = static_cast<float>(d);
      boost::json::object o;
      o["F"] = static_cast<double>(f);
      o["D"] = d;
      std::vector<std::uint8_t> bytes;
      cb::EncodeError ee;
      ASSERT_TRUE(enc.encode(o, bytes, ee)) << ee.to_string();
      std::string_view out;
      cb::DecodeError de;
      ASSERT_TRUE(dec.decode(bytes, out, de));
      auto flat = cb::testing::flatten(out);
      const double fd = std::stod(flat["F"].text), dd = std::stod(flat["D"].text);
      if (fmt == cb::FloatFormat::kIeee754) {
        EXPECT_EQ(static_cast<float>(fd), f);
        EXPECT_EQ(dd, d);
      } else {  // HFP keeps 24/56 fraction bits: 21/53 significant bits at worst
        EXPECT_NEAR(fd, f, std::fabs(f) * 1e-6);
        EXPECT_NEAR(dd, d, std::fabs(d) * 1e-15);
      }
    }
  }
}

TEST(CopybookEncoder, RefusesValuesThatDoNotFit) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n 05 A PIC S9(3)V99 COMP-3.\n 05 U PIC 9(2).\n 05 T PIC X(3).\n 05 B PIC 9(2) "
      "COMP.\n");
  cb::RecordEncoder enc(book, {});
  std::vector<std::uint8_t> out;
  cb::EncodeError e;
  EXPECT_FALSE(enc.encode(R"({"A":"1234.00"})", out, e));
  EXPECT_EQ(e.field, "R.A");
  EXPECT_NE(e.message.find("integer digits"), std::string::npos);
  EXPECT_FALSE(enc.encode(R"({"A":"1.234"})", out, e));
  EXPECT_NE(e.message.find("decimal places"), std::string::npos);
  EXPECT_FALSE(enc.encode(R"({"A":1.5})", out, e));  // a binary double is refused for decimals
  EXPECT_FALSE(enc.encode(R"({"U":"-1"})", out, e));
  EXPECT_EQ(e.field, "R.U");
  EXPECT_FALSE(enc.encode(R"({"T":"ABCD"})", out, e));
  EXPECT_EQ(e.field, "R.T");
  EXPECT_FALSE(enc.encode(R"({"T":"€"})", out, e));
  EXPECT_FALSE(enc.encode(R"({"B":"100"})", out, e));
  EXPECT_FALSE(enc.encode(R"({"A":"abc"})", out, e));
  EXPECT_FALSE(enc.encode(R"({"A":)", out, e));
  EXPECT_TRUE(enc.encode(R"({"A":"-999.99","U":7,"T":"xy","B":"99"})", out, e)) << e.to_string();
  EXPECT_EQ(
      out, (std::vector<std::uint8_t>{0x99, 0x99, 0x9D, 0xF0, 0xF7, 0xA7, 0xA8, 0x40, 0x00, 0x63}));
}

TEST(CopybookEncoder, OccursDependingOnAndRedefines) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n 05 N PIC 9.\n 05 T OCCURS 0 TO 3 DEPENDING ON N.\n  10 V PIC X.\n"
      " 05 X PIC X(2).\n 05 XN REDEFINES X PIC 9(2).\n");
  cb::EncodeOptions eo;
  eo.variable_size_occurs = true;
  cb::RecordEncoder enc(book, eo);
  std::vector<std::uint8_t> out;
  cb::EncodeError e;
  ASSERT_TRUE(enc.encode(R"({"N":2,"T":[{"V":"A"},{"V":"B"}],"XN":"42"})", out, e))
      << e.to_string();
  EXPECT_EQ(out, (std::vector<std::uint8_t>{0xF2, 0xC1, 0xC2, 0xF4, 0xF2}));
  EXPECT_FALSE(enc.encode(R"({"N":3,"T":[{"V":"A"}]})", out, e));
  EXPECT_NE(e.message.find("DEPENDING ON"), std::string::npos);
  cb::RecordEncoder fixed(book, {});
  ASSERT_TRUE(fixed.encode(R"({"N":1,"T":[{"V":"A"}],"X":"ok"})", out, e)) << e.to_string();
  EXPECT_EQ(out.size(), 6u);
  EXPECT_EQ(out[1], 0xC1);
  EXPECT_EQ(out[4], 0x96);
}
