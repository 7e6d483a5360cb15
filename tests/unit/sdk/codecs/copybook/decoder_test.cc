// Decoder behaviour on hand-made records: every usage, signs, scale, errors naming field and
// offset, lenient nulls, ODO in both storage modes, redefine rules, float formats, byte orders.
#include <gtest/gtest.h>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/parser.h"

namespace cb = coregate::codecs::copybook;

namespace {

std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> r;
  for (int b : v) r.push_back(static_cast<std::uint8_t>(b));
  return r;
}

std::string decode(const char* copybook, const std::vector<std::uint8_t>& rec,
                   cb::DecodeOptions o = {}) {
  cb::RecordDecoder d(cb::parse_copybook(copybook), o);
  std::string out;
  cb::DecodeError err;
  if (!d.decode(rec, out, err)) return "ERROR " + err.to_string();
  return out;
}

}  // namespace

TEST(CopybookDecoder, ZonedPackedBinaryValues) {
  const char* book =
      "01 R.\n 05 Z PIC S9(3)V99.\n 05 U PIC 9(3).\n 05 P PIC S9(5)V99 COMP-3.\n"
      " 05 B PIC S9(4) COMP.\n 05 N PIC 9(9) COMP-5.\n";
  auto rec =
      bytes({0xF1, 0xF2, 0xF3, 0xF4, 0xD5,  // -123.45
             0xF0, 0xF4, 0xF2,              // 42
             0x01, 0x23, 0x45, 0x6D,    // -12345.6 -> -123.456? no: 7 digits 0123456 -> -01234.56
             0xFF, 0x85,                // -123
             0x00, 0x01, 0x00, 0x00});  // 65536
  EXPECT_EQ(decode(book, rec), R"({"Z":"-123.45","U":42,"P":"-1234.56","B":-123,"N":65536})");
  cb::DecodeOptions o;
  o.numbers = cb::NumberStyle::kJsonNumbers;
  EXPECT_EQ(decode(book, rec, o), R"({"Z":-123.45,"U":42,"P":-1234.56,"B":-123,"N":65536})");
}

TEST(CopybookDecoder, ScaledPAndNegativeZero) {
  const char* book = "01 R.\n 05 A PIC SVPP9(3) COMP-3.\n 05 B PIC S9(2)PPP.\n 05 C PIC S9(3).\n";
  auto rec = bytes({0x12, 0x3C, 0xF4, 0xD2, 0xF0, 0xF0, 0xD0});
  EXPECT_EQ(decode(book, rec), R"({"A":"0.00123","B":-42000,"C":0})");
}

TEST(CopybookDecoder, SignSeparateLeadingTrailingAndOverpunchLeading) {
  const char* book =
      "01 R.\n 05 A PIC S9(3) SIGN LEADING SEPARATE.\n 05 B PIC S9(3) SIGN TRAILING SEPARATE.\n"
      " 05 C PIC S9(3) SIGN LEADING.\n 05 D PIC S9(2).99.\n";
  auto rec = bytes({0x60, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0x4E, 0xD7, 0xF8, 0xF9, 0xF1, 0xF2,
                    0x4B, 0xF3, 0xD4});
  EXPECT_EQ(decode(book, rec), R"({"A":-123,"B":456,"C":-789,"D":"-12.34"})");
}

TEST(CopybookDecoder, EditedPictures) {
  const char* book =
      "01 R.\n 05 A PIC ZZ9.99-.\n 05 B PIC +9(3).\n 05 C PIC ZZ9CR.\n 05 D PIC $$,$$9.99.\n";
  // " 12.50-" "+123" " 45CR" "  $1,234.56" (D is 9 chars: $$,$$9.99)
  std::string text = " 12.50-+123 45CR$1,234.56";
  std::vector<std::uint8_t> rec;
  for (char c : text) {
    static const std::string ascii = " 0123456789.+-$,CR";
    static const int ebcdic[] = {0x40, 0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7,
                                 0xF8, 0xF9, 0x4B, 0x4E, 0x60, 0x5B, 0x6B, 0xC3, 0xD9};
    rec.push_back(static_cast<std::uint8_t>(ebcdic[ascii.find(c)]));
  }
  EXPECT_EQ(decode(book, rec), R"({"A":"-12.50","B":123,"C":-45,"D":"1234.56"})");
}

TEST(CopybookDecoder, TextTrimEscapesAndCodePage) {
  const char* book = "01 R.\n 05 A PIC X(6).\n";
  auto rec = bytes({0x40, 0xC1, 0x7F, 0x00, 0xE0, 0x40});  // ' A"\0\ '
  EXPECT_EQ(decode(book, rec), R"({"A":"A\"\u0000\\"})");
  cb::DecodeOptions o;
  o.trim = cb::Trim::kNone;
  EXPECT_EQ(decode(book, rec, o), R"({"A":" A\"\u0000\\ "})");
  o.code_page = "cp273";
  auto de = bytes({0x4A, 0x6A, 0x5A, 0xA1, 0xC0, 0xE0});  // Ä ö Ü ß ä Ö
  EXPECT_EQ(decode(book, de, o), "{\"A\":\"\xC3\x84\xC3\xB6\xC3\x9C\xC3\x9F\xC3\xA4\xC3\x96\"}");
}

TEST(CopybookDecoder, InvalidDataNamesFieldAndOffset) {
  const char* book =
      "01 R.\n 05 X PIC X(2).\n 05 G OCCURS 2.\n  10 P PIC S9(3) COMP-3.\n 05 Z PIC 9(2).\n";
  // Bad packed sign nibble in G[1].P at offset 4.
  auto bad_packed = bytes({0x40, 0x40, 0x12, 0x3C, 0x12, 0x37, 0xF1, 0xF2});
  EXPECT_EQ(decode(book, bad_packed),
            "ERROR R.G.P[1] at offset 4: invalid packed decimal (bad digit or sign nibble), bytes "
            "X'1237'");
  // Bad packed digit nibble.
  EXPECT_NE(decode(book, bytes({0x40, 0x40, 0x1A, 0x3C, 0x12, 0x3C, 0xF1, 0xF2}))
                .find("R.G.P[0] at offset 2"),
            std::string::npos);
  // A letter in a numeric DISPLAY field.
  EXPECT_EQ(decode(book, bytes({0x40, 0x40, 0x12, 0x3C, 0x12, 0x3C, 0xF1, 0xC1})),
            "ERROR R.Z at offset 6: invalid zoned decimal (non-digit or bad sign), bytes X'F1C1'");
  // A negative sign in an unsigned zoned field is a bad sign.
  EXPECT_NE(
      decode(book, bytes({0x40, 0x40, 0x12, 0x3C, 0x12, 0x3C, 0xF1, 0xD1})).find("R.Z at offset 6"),
      std::string::npos);
  // Lenient: the bad field becomes null (left out, or written as null).
  cb::DecodeOptions o;
  o.lenient = true;
  EXPECT_EQ(decode(book, bad_packed, o), R"({"X":"","G":[{"P":123},{}],"Z":12})");
  o.emit_nulls = true;
  EXPECT_EQ(decode(book, bytes({0x40, 0x40, 0x12, 0x3C, 0x12, 0x3C, 0xF1, 0xC1}), o),
            R"({"X":"","G":[{"P":123},{"P":123}],"Z":null})");
}

TEST(CopybookDecoder, BinaryBeyondPictureDigitsIsInvalidButComp5IsNot) {
  const char* book = "01 R.\n 05 A PIC 9(2) COMP.\n 05 B PIC 9(2) COMP-5.\n";
  EXPECT_NE(decode(book, bytes({0x00, 0x64, 0x00, 0x64})).find("R.A at offset 0: binary value"),
            std::string::npos);
  EXPECT_EQ(decode(book, bytes({0x00, 0x63, 0x00, 0x64})), R"({"A":99,"B":100})");
  cb::DecodeOptions o;
  o.native_binary_little_endian = true;
  EXPECT_EQ(decode(book, bytes({0x00, 0x63, 0x64, 0x00}), o), R"({"A":99,"B":100})");
}

TEST(CopybookDecoder, LargeBinaryAndPacked) {
  const char* book = "01 R.\n 05 A PIC S9(37) COMP.\n 05 B PIC S9(37) COMP-3.\n";
  std::vector<std::uint8_t> rec(16, 0xFF);  // -1 in 16 bytes
  for (int i = 0; i < 18; ++i) rec.push_back(0x99);
  rec.push_back(0x9D);
  EXPECT_EQ(decode(book, rec), R"({"A":"-1","B":"-9999999999999999999999999999999999999"})");
}

TEST(CopybookDecoder, FloatsIeeeAndIbmHex) {
  const char* book = "01 R.\n 05 F COMP-1.\n 05 D COMP-2.\n";
  cb::DecodeOptions o;
  o.float_format = cb::FloatFormat::kIeee754;
  // 1.5f = 3FC00000, -2.25 = C002000000000000
  EXPECT_EQ(decode(book, bytes({0x3F, 0xC0, 0, 0, 0xC0, 0x02, 0, 0, 0, 0, 0, 0}), o),
            R"({"F":1.5,"D":-2.25})");
  // IBM HFP: 1.5 = 41180000, -2.25 = C124000000000000
  EXPECT_EQ(decode(book, bytes({0x41, 0x18, 0, 0, 0xC1, 0x24, 0, 0, 0, 0, 0, 0})),
            R"({"F":1.5,"D":-2.25})");
}

TEST(CopybookDecoder, OccursDependingOnFixedAndVariableStorage) {
  const char* book =
      "01 R.\n 05 N PIC 9.\n 05 T OCCURS 0 TO 3 DEPENDING ON N.\n  10 V PIC X(2).\n 05 TAIL PIC "
      "X.\n";
  // N=2, T[0]="AB", T[1]="CD", then either an unused slot or TAIL straight away.
  auto fixed = bytes({0xF2, 0xC1, 0xC2, 0xC3, 0xC4, 0x40, 0x40, 0xE9});
  EXPECT_EQ(decode(book, fixed), R"({"N":2,"T":[{"V":"AB"},{"V":"CD"}],"TAIL":"Z"})");
  cb::DecodeOptions o;
  o.variable_size_occurs = true;
  auto variable = bytes({0xF2, 0xC1, 0xC2, 0xC3, 0xC4, 0xE9});
  EXPECT_EQ(decode(book, variable, o), R"({"N":2,"T":[{"V":"AB"},{"V":"CD"}],"TAIL":"Z"})");
  // Count out of range: an error naming the table; lenient clamps.
  auto too_many = bytes({0xF7, 0xC1, 0xC2, 0xC3, 0xC4, 0x40, 0x40, 0xE9});
  EXPECT_NE(decode(book, too_many).find("R.T at offset 1: DEPENDING ON count 7 is outside 0 to 3"),
            std::string::npos);
}

TEST(CopybookDecoder, NestedOccursDependingOn) {
  const char* book =
      "01 R.\n 05 A PIC 9.\n 05 B PIC 9.\n 05 OUTER OCCURS 1 TO 2 DEPENDING ON A.\n"
      "  10 INNER OCCURS 0 TO 2 DEPENDING ON B.\n   15 C PIC X.\n";
  cb::DecodeOptions o;
  o.variable_size_occurs = true;
  EXPECT_EQ(decode(book, bytes({0xF2, 0xF1, 0xC1, 0xC2}), o),
            R"({"A":2,"B":1,"OUTER":[{"INNER":[{"C":"A"}]},{"INNER":[{"C":"B"}]}]})");
}

TEST(CopybookDecoder, RedefineRulesPickTheView) {
  const char* book =
      "01 R.\n 05 KIND PIC X.\n 05 AS-TEXT PIC X(3).\n 05 AS-NUM REDEFINES AS-TEXT PIC S9(5) "
      "COMP-3.\n";
  cb::DecodeOptions o;
  o.redefine_rules = {{"KIND", "T", "AS-TEXT"}, {"KIND", "N", "AS-NUM"}};
  o.lenient = true;
  EXPECT_EQ(decode(book, bytes({0xE3, 0xC1, 0xC2, 0xC3}), o), R"({"KIND":"T","AS_TEXT":"ABC"})");
  EXPECT_EQ(decode(book, bytes({0xD5, 0x12, 0x34, 0x5D}), o), R"({"KIND":"N","AS_NUM":-12345})");
  // No rule matches: every view.
  const std::string all = decode(book, bytes({0xE7, 0x12, 0x34, 0x5D}), o);
  EXPECT_NE(all.find("\"AS_TEXT\""), std::string::npos);
  EXPECT_NE(all.find("\"AS_NUM\":-12345"), std::string::npos);
  cb::DecodeOptions bad;
  bad.redefine_rules = {{"KIND", "T", "NOPE"}};
  EXPECT_THROW(cb::RecordDecoder(cb::parse_copybook(book), bad), std::invalid_argument);
}

TEST(CopybookDecoder, ShortRecordLeavesMissingFieldsOut) {
  const char* book = "01 R.\n 05 A PIC X(2).\n 05 B PIC 9(2).\n 05 C PIC X(4).\n";
  EXPECT_EQ(decode(book, bytes({0xC1, 0xC2, 0xF1, 0xF2, 0xC3})), R"({"A":"AB","B":12,"C":"C"})");
  EXPECT_EQ(decode(book, bytes({0xC1, 0xC2, 0xF1})), R"({"A":"AB"})");
}

TEST(CopybookDecoder, BlankNumericIsNullAndAsciiData) {
  const char* book = "01 R.\n 05 A PIC 9(3).\n 05 B PIC S9(3).\n";
  EXPECT_EQ(decode(book, bytes({0x40, 0x40, 0x40, 0xF1, 0xF2, 0xD3})), R"({"B":-123})");
  cb::DecodeOptions o;
  o.code_page = "ascii";
  // GnuCOBOL writes negative overpunch as 'p'..'y'.
  EXPECT_EQ(decode(book, bytes({'0', '4', '2', '1', '2', 's'}), o), R"({"A":42,"B":-123})");
}

TEST(CopybookDecoder, UnknownCodePageAndRootAreConfigErrors) {
  cb::Copybook book = cb::parse_copybook("01 R.\n 05 A PIC X.\n");
  cb::DecodeOptions o;
  o.code_page = "cp999";
  EXPECT_THROW(cb::RecordDecoder(book, o), std::invalid_argument);
  cb::DecodeOptions r;
  r.root = "NOPE";
  EXPECT_THROW(cb::RecordDecoder(book, r), std::invalid_argument);
  cb::DecodeOptions k;
  k.keep_root = true;
  cb::RecordDecoder d(book, k);
  std::string out;
  cb::DecodeError e;
  ASSERT_TRUE(d.decode(bytes({0xC1}), out, e));
  EXPECT_EQ(out, R"({"R":{"A":"A"}})");
}

TEST(CopybookDecoder, NumericDiscriminatorPicksTheView) {
  const char* book =
      "01 R.\n 05 KIND PIC S9(3) COMP-3.\n 05 AS-TEXT PIC X(2).\n 05 AS-NUM REDEFINES AS-TEXT PIC "
      "S9(4) COMP.\n";
  cb::DecodeOptions o;
  o.redefine_rules = {{"KIND", "1", "AS-TEXT"}, {"KIND", "-2", "AS-NUM"}};
  EXPECT_EQ(decode(book, bytes({0x00, 0x1C, 0xC1, 0xC2}), o), R"({"KIND":1,"AS_TEXT":"AB"})");
  EXPECT_EQ(decode(book, bytes({0x00, 0x2D, 0xFF, 0xFE}), o), R"({"KIND":-2,"AS_NUM":-2})");
}
