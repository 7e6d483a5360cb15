// Parser and layout: formats, clauses, pictures, sizes, and errors with line/column.
#include <gtest/gtest.h>

#include "coregate/codecs/copybook/field_info.h"
#include "coregate/codecs/copybook/parser.h"

namespace cb = coregate::codecs::copybook;

namespace {

const cb::Field& field(const cb::Copybook& book, const char* path) {
  int i = book.find(path);
  EXPECT_GE(i, 0) << path;
  return book.fields.at(static_cast<std::size_t>(i < 0 ? 0 : i));
}

// Builds fixed-format source: every line gets a 6-digit sequence area and a blank indicator.
std::string fixed(std::initializer_list<const char*> lines) {
  std::string s;
  int n = 0;
  for (const char* l : lines) {
    char seq[8];
    std::snprintf(seq, sizeof seq, "%06d", ++n * 10);
    s += seq;
    s += l;
    s += '\n';
  }
  return s;
}

}  // namespace

TEST(CopybookParser, FixedFormatWithSequenceCommentsAndContinuation) {
  const std::string src = fixed({
      "*THIS IS A COMMENT LINE",
      " 01  CUSTOMER-RECORD.",
      "     05  CUST-ID            PIC 9(6).                                  IGNORED1",
      "/    PAGE EJECT COMMENT",
      "     05  CUST-NAME          PIC X(20) VALUE 'ABCDEFGHIJKLMNOPQRS",
      "-        'T'.",
      "     05  BALANCE            PIC S9(7)V99 COMP-3.",
      "D    05  DEBUG-ONLY         PIC X.",
  });
  cb::Copybook book = cb::parse_copybook(src);
  ASSERT_EQ(book.roots.size(), 1u);
  EXPECT_EQ(field(book, "CUST-ID").length, 6u);
  EXPECT_EQ(field(book, "CUST-NAME").value, "ABCDEFGHIJKLMNOPQRST");
  EXPECT_EQ(field(book, "BALANCE").offset, 26u);
  EXPECT_EQ(field(book, "BALANCE").length, 5u);
  EXPECT_EQ(book.find("DEBUG-ONLY"), -1);
  EXPECT_EQ(book.record_length(), 31u);
}

TEST(CopybookParser, FreeFormatWithInlineComments) {
  cb::Copybook book = cb::parse_copybook(
      "01 REC. *> the record\n"
      "  05 A PIC X(3). *> three chars\n"
      "  05 B PIC S9(4) COMP.\n");
  EXPECT_EQ(field(book, "A").length, 3u);
  EXPECT_EQ(field(book, "B").offset, 3u);
  EXPECT_EQ(field(book, "B").length, 2u);
}

TEST(CopybookParser, PicturesRepeatCountsSignScaleAndP) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n"
      " 05 A PIC S9(3)V9(2).\n"
      " 05 B PIC 999V99 COMP-3.\n"
      " 05 C PIC SPPP9(5) COMP-3.\n"
      " 05 D PIC S9(5)PPP.\n"
      " 05 E PIC S9(3).99.\n"
      " 05 F PIC -9(6).99.\n"
      " 05 G PIC ZZ,ZZ9.99CR.\n"
      " 05 H PIC $$$,$$9.99.\n"
      " 05 I PIC ***9.\n"
      " 05 J PIC 99/99/99.\n"
      " 05 K PIC XXBXX.\n");
  const auto& a = field(book, "A");
  EXPECT_EQ(a.picture.digits, 5);
  EXPECT_EQ(a.picture.scale, 2);
  EXPECT_TRUE(a.picture.is_signed);
  EXPECT_EQ(a.length, 5u);
  EXPECT_EQ(field(book, "B").length, 3u);
  EXPECT_EQ(field(book, "C").picture.scale, 8);
  EXPECT_EQ(field(book, "C").length, 3u);
  EXPECT_EQ(field(book, "D").picture.scale, -3);
  EXPECT_EQ(field(book, "D").length, 5u);
  EXPECT_EQ(field(book, "E").length, 6u);
  EXPECT_TRUE(field(book, "E").picture.explicit_point);
  EXPECT_EQ(field(book, "F").picture.category, cb::Category::kNumericEdited);
  EXPECT_EQ(field(book, "F").length, 10u);
  EXPECT_EQ(field(book, "G").length, 11u);
  EXPECT_EQ(field(book, "G").picture.digits, 7);
  EXPECT_EQ(field(book, "G").picture.scale, 2);
  EXPECT_EQ(field(book, "H").picture.digits, 7);  // the first $ is the currency sign itself
  EXPECT_EQ(field(book, "I").length, 4u);
  EXPECT_EQ(field(book, "J").length, 8u);
  EXPECT_EQ(field(book, "K").picture.category, cb::Category::kAlphanumeric);
}

TEST(CopybookParser, UsagesSizesAndGroupUsageInheritance) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n"
      " 05 B1 PIC 9(4) COMP.\n"
      " 05 B2 PIC S9(9) BINARY.\n"
      " 05 B3 PIC S9(18) COMP-4.\n"
      " 05 B4 PIC 9(5) COMP-5.\n"
      " 05 F1 COMP-1.\n"
      " 05 F2 USAGE IS COMP-2.\n"
      " 05 G USAGE COMP-3.\n"
      "   10 P1 PIC S9(7)V99.\n"
      "   10 P2 PIC 9(4).\n"
      " 05 IDX USAGE INDEX.\n");
  EXPECT_EQ(field(book, "B1").length, 2u);
  EXPECT_EQ(field(book, "B2").length, 4u);
  EXPECT_EQ(field(book, "B3").length, 8u);
  EXPECT_EQ(field(book, "B4").length, 4u);
  EXPECT_EQ(field(book, "F1").length, 4u);
  EXPECT_EQ(field(book, "F2").length, 8u);
  EXPECT_EQ(field(book, "P1").usage, cb::Usage::kPacked);
  EXPECT_EQ(field(book, "P1").length, 5u);
  EXPECT_EQ(field(book, "P2").length, 3u);
  EXPECT_EQ(field(book, "IDX").length, 4u);
}

TEST(CopybookParser, GnuCobolBinarySizes) {
  cb::ParseOptions o;
  o.binary_size_1_2_4_8 = true;
  cb::Copybook book = cb::parse_copybook("01 R.\n 05 A PIC 99 COMP.\n 05 B PIC 9(3) COMP.\n", o);
  EXPECT_EQ(field(book, "A").length, 1u);
  EXPECT_EQ(field(book, "B").length, 2u);
}

TEST(CopybookParser, SignClausesAndSync) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n"
      " 05 A PIC S9(4) SIGN IS LEADING SEPARATE CHARACTER.\n"
      " 05 B PIC S9(4) SIGN TRAILING SEPARATE.\n"
      " 05 C PIC S9(4) LEADING.\n"
      " 05 X PIC X.\n"
      " 05 D PIC S9(9) COMP SYNC.\n");
  EXPECT_EQ(field(book, "A").sign, cb::SignPosition::kLeadingSeparate);
  EXPECT_EQ(field(book, "A").length, 5u);
  EXPECT_EQ(field(book, "B").sign, cb::SignPosition::kTrailingSeparate);
  EXPECT_EQ(field(book, "C").sign, cb::SignPosition::kLeading);
  EXPECT_EQ(field(book, "C").length, 4u);
  EXPECT_EQ(field(book, "X").offset, 14u);
  EXPECT_EQ(field(book, "D").offset, 16u);  // aligned to 4 (two slack bytes)
}

TEST(CopybookParser, OccursDependingOnRedefinesRenamesConditions) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n"
      " 05 KIND PIC X.\n"
      "   88 IS-A VALUE 'A'.\n"
      "   88 IS-BC VALUES 'B' 'C'.\n"
      "   88 IS-DIGIT VALUE '0' THRU '9'.\n"
      " 05 N PIC 9(2).\n"
      " 05 BODY PIC X(10).\n"
      " 05 BODY-NUM REDEFINES BODY PIC 9(10).\n"
      " 05 T OCCURS 1 TO 5 TIMES DEPENDING ON N INDEXED BY I1.\n"
      "   10 M PIC 9.\n"
      "   10 INNER OCCURS 3 TIMES.\n"
      "     15 Q PIC X(2).\n"
      "66 ALIAS RENAMES KIND THRU N.\n");
  const auto& kind = field(book, "KIND");
  ASSERT_EQ(kind.conditions.size(), 3u);
  EXPECT_EQ(kind.conditions[1].values.size(), 2u);
  EXPECT_EQ(kind.conditions[2].values[0].high, "9");
  EXPECT_EQ(field(book, "BODY-NUM").offset, 3u);
  EXPECT_GE(field(book, "BODY-NUM").redefines_field, 0);
  const auto& t = field(book, "T");
  EXPECT_EQ(t.offset, 13u);
  EXPECT_EQ(t.element_length, 7u);
  EXPECT_EQ(t.length, 35u);
  EXPECT_EQ(t.occurs_min, 1);
  EXPECT_EQ(t.occurs_max, 5);
  EXPECT_EQ(book.fields[static_cast<std::size_t>(t.depending_field)].name, "N");
  EXPECT_EQ(field(book, "INNER").length, 6u);
  EXPECT_EQ(field(book, "ALIAS").offset, 0u);
  EXPECT_EQ(field(book, "ALIAS").length, 3u);
  EXPECT_EQ(book.record_length(), 48u);
}

TEST(CopybookParser, LookupAcceptsUnderscoresSuffixesAndRejectsAmbiguity) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n 05 A.\n  10 X-1 PIC X.\n 05 B.\n  10 X-1 PIC X.\n  10 Y PIC X.\n");
  EXPECT_GE(book.find("R.A.X-1"), 0);
  EXPECT_GE(book.find("a.x_1"), 0);
  EXPECT_EQ(book.find("X-1"), -1);  // ambiguous
  EXPECT_GE(book.find("Y"), 0);
  EXPECT_EQ(book.find("NOPE"), -1);
}

struct BadCase {
  const char* source;
  int line;
  int column;
  const char* message_part;
};

class CopybookParserErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(CopybookParserErrors, ReportLineAndColumn) {
  const BadCase& c = GetParam();
  try {
    (void)cb::parse_copybook(c.source, {cb::SourceFormat::kFree});
    FAIL() << "expected an error for: " << c.source;
  } catch (const cb::CopybookError& e) {
    EXPECT_EQ(e.line(), c.line) << e.what();
    EXPECT_EQ(e.column(), c.column) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.message_part), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Bad, CopybookParserErrors,
    ::testing::Values(
        BadCase{"01 R.\n  05 A PIC 9(3.\n", 2, 13, "repeat count"},
        BadCase{"01 R.\n  05 A PIC 9(3)Q.\n", 2, 16, "unknown PICTURE symbol"},
        BadCase{"01 R.\n  05 A PIC X(3)\n", 2, 12, "'.' is missing"},
        BadCase{"01 R.\n  05 A PIC X(3) FOO.\n", 2, 17, "unknown clause"},
        BadCase{"01 R.\n  05 A PIC X.\n  05 B REDEFINES C PIC X.\n", 3, 3, "REDEFINES 'C'"},
        BadCase{"01 R.\n  05 T OCCURS 3 DEPENDING ON NOPE.\n    10 X PIC X.\n", 2, 3,
                "not defined"},
        BadCase{"01 R.\n  05 A PIC X COMP-3.\n", 2, 12, "numeric PICTURE"},
        BadCase{"01 R.\n  05 A.\n", 2, 3, "no PICTURE"},
        BadCase{"01 R.\n  05 A PIC X.\n    10 B PIC X.\n", 3, 5, "cannot contain"},
        BadCase{"01 R.\n  105 A PIC X.\n", 2, 3, "level number"},
        BadCase{"01 R.\n  05 A PIC 9(40).\n", 2, 12, "more than 38 digits"},
        BadCase{"01 R.\n  05 A PIC X VALUE 'OPEN.\n", 2, 20, "not closed"},
        BadCase{"01 R.\n  05 T OCCURS 5 TO 2 DEPENDING ON R.\n", 2, 8, "minimum is larger"},
        BadCase{"88 X VALUE 1.\n", 1, 1, "must follow"},
        BadCase{"01 R.\n  05 A OCCURS 99999.\n   10 B OCCURS 99999 PIC X(999).\n", 2, 3,
                "larger than 1 GiB"}));

TEST(CopybookFieldInfo, LooksUpFieldsAndChecksDecimalFit) {
  cb::Copybook book = cb::parse_copybook(
      "01 R.\n 05 AMOUNT PIC S9(7)V99 COMP-3.\n 05 COUNT PIC 9(3).\n 05 NAME PIC X(5).\n"
      " 05 BIG PIC 9(3)PPP COMP-3.\n");
  auto amount = cb::find_field(book, "amount");
  ASSERT_TRUE(amount);
  EXPECT_EQ(amount->path, "R.AMOUNT");
  EXPECT_EQ(amount->usage, cb::Usage::kPacked);
  EXPECT_EQ(amount->digits, 9);
  EXPECT_EQ(amount->scale, 2);
  EXPECT_TRUE(amount->is_signed);
  EXPECT_EQ(amount->byte_length, 5u);
  EXPECT_FALSE(amount->alphanumeric);
  EXPECT_TRUE(cb::check_decimal_fits(*amount, "1234567.89").ok());
  EXPECT_TRUE(cb::check_decimal_fits(*amount, "-0.5").ok());
  EXPECT_TRUE(cb::check_decimal_fits(*amount, "1.500").ok());
  EXPECT_EQ(cb::check_decimal_fits(*amount, "12345678.00").error,
            cb::FitError::kTooManyIntegerDigits);
  EXPECT_EQ(cb::check_decimal_fits(*amount, "1.005").error, cb::FitError::kTooManyFractionDigits);
  EXPECT_EQ(cb::check_decimal_fits(*amount, "1e5").error, cb::FitError::kNotADecimal);
  auto count = cb::find_field(book, "COUNT");
  EXPECT_EQ(cb::check_decimal_fits(*count, "-1").error, cb::FitError::kNegativeIntoUnsigned);
  EXPECT_NE(cb::check_decimal_fits(*count, "-1").message.find("R.COUNT"), std::string::npos);
  auto big = cb::find_field(book, "BIG");
  EXPECT_TRUE(cb::check_decimal_fits(*big, "123000").ok());
  EXPECT_EQ(cb::check_decimal_fits(*big, "123400").error, cb::FitError::kTooManyFractionDigits);
  auto name = cb::find_field(book, "NAME");
  EXPECT_TRUE(name->alphanumeric);
  EXPECT_TRUE(cb::check_text_fits(*name, "Jürg", "cp273").ok());
  EXPECT_EQ(cb::check_text_fits(*name, "toolong", "cp037").error, cb::FitError::kTextTooLong);
  EXPECT_EQ(cb::check_text_fits(*name, "€", "cp037").error, cb::FitError::kNotRepresentable);
  EXPECT_TRUE(cb::check_text_fits(*name, "€", "cp1140").ok());
  EXPECT_EQ(cb::check_decimal_fits(*name, "1").error, cb::FitError::kNotNumericField);
  EXPECT_FALSE(cb::find_field(book, "MISSING"));
}
