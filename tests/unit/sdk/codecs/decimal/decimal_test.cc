// Exact decimal arithmetic: parsing, formatting, every rounding mode, precision checks, overflow.
#include "coregate/codecs/decimal/decimal.h"

#include <gtest/gtest.h>

namespace {

using coregate::codecs::decimal::Decimal;
using coregate::codecs::decimal::Errc;
using coregate::codecs::decimal::Rounding;

Decimal D(std::string_view text) {
  auto parsed = Decimal::parse(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.value;
}

std::string rescaled(std::string_view text, int scale, Rounding rounding) {
  auto r = D(text).rescale(scale, rounding);
  if (!r) return std::string("error:") + std::string(describe(r.error));
  return r.value.to_string();
}

TEST(SdkDecimal, ParsesAndFormatsKeepingScale) {
  EXPECT_EQ(D("123.45").to_string(), "123.45");
  EXPECT_EQ(D("12.50").scale(), 2);
  EXPECT_EQ(D("12.50").to_string(), "12.50");
  EXPECT_EQ(D("-0.05").to_string(), "-0.05");
  EXPECT_EQ(D("+7").to_string(), "7");
  EXPECT_EQ(D("007.10").to_string(), "7.10");
  EXPECT_EQ(D("-0.00").to_string(), "0.00");
  EXPECT_EQ(D("0").to_string(), "0");
  EXPECT_EQ(D("99999999999999999999999999999999999999").to_string(),
            "99999999999999999999999999999999999999");
  EXPECT_EQ(D("0.00000000000000000000000000000000000001").scale(), 38);
}

TEST(SdkDecimal, RejectsMalformedText) {
  for (std::string_view bad : {"", "-", "+", ".5", "5.", "1.2.3", "1e5", " 1", "1 ", "0x10",
                               "1,000", "12a", "--1", "NaN", "Infinity", "1.-2"}) {
    EXPECT_EQ(Decimal::parse(bad).error, Errc::syntax) << "'" << bad << "'";
  }
  EXPECT_EQ(Decimal::parse("123456789012345678901234567890123456789").error, Errc::too_many_digits);
  EXPECT_EQ(Decimal::parse("0.000000000000000000000000000000000000001").error,
            Errc::too_many_digits);
  // Leading zeros do not count toward the 38 digits.
  EXPECT_TRUE(Decimal::parse("0000000000099999999999999999999999999999999999999").ok());
}

TEST(SdkDecimal, EveryRoundingMode) {
  struct Case {
    const char* in;
    Rounding mode;
    const char* out;
  };
  const Case cases[] = {
      {"2.345", Rounding::half_even, "2.34"},   {"2.355", Rounding::half_even, "2.36"},
      {"-2.345", Rounding::half_even, "-2.34"}, {"2.3451", Rounding::half_even, "2.35"},
      {"2.345", Rounding::half_up, "2.35"},     {"-2.345", Rounding::half_up, "-2.35"},
      {"2.344", Rounding::half_up, "2.34"},     {"2.345", Rounding::half_down, "2.34"},
      {"2.3451", Rounding::half_down, "2.35"},  {"2.349", Rounding::down, "2.34"},
      {"-2.349", Rounding::down, "-2.34"},      {"2.341", Rounding::up, "2.35"},
      {"-2.341", Rounding::up, "-2.35"},        {"2.341", Rounding::floor, "2.34"},
      {"-2.341", Rounding::floor, "-2.35"},     {"2.341", Rounding::ceiling, "2.35"},
      {"-2.341", Rounding::ceiling, "-2.34"},   {"2.340", Rounding::unnecessary, "2.34"},
      {"0.005", Rounding::half_even, "0.00"},   {"0.015", Rounding::half_even, "0.02"},
      {"-0.001", Rounding::ceiling, "0.00"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(rescaled(c.in, 2, c.mode), c.out) << c.in << " " << rounding_name(c.mode);
  }
  EXPECT_EQ(D("2.341").rescale(2, Rounding::unnecessary).error, Errc::inexact);
  EXPECT_EQ(rescaled("1.5", 4, Rounding::unnecessary), "1.5000");
  // Dropping many digits (more than the value has) still rounds correctly.
  EXPECT_EQ(rescaled("0.00000000000000000000000000000000000001", 0, Rounding::up), "1");
  EXPECT_EQ(rescaled("0.00000000000000000000000000000000000001", 0, Rounding::half_up), "0");
}

TEST(SdkDecimal, RescaleUpCanOverflow) {
  EXPECT_EQ(D("99999999999999999999999999999999999999").rescale(1, Rounding::unnecessary).error,
            Errc::overflow);
  EXPECT_EQ(D("1").rescale(39, Rounding::unnecessary).error, Errc::scale_out_of_range);
  EXPECT_EQ(D("1").rescale(-1, Rounding::unnecessary).error, Errc::scale_out_of_range);
}

TEST(SdkDecimal, PrecisionChecksMatchCobolPictures) {
  // PIC S9(5)V99 = 7 digits, scale 2.
  EXPECT_TRUE(D("12345.67").fits(7, 2));
  EXPECT_TRUE(D("-99999.99").fits(7, 2));
  EXPECT_TRUE(D("0.5").fits(7, 2));
  EXPECT_FALSE(D("123456.78").fits(7, 2));
  EXPECT_FALSE(D("1.234").fits(7, 2));  // would need rounding
  EXPECT_TRUE(D("1.230").fits(7, 2));   // trailing zero drops exactly
  EXPECT_EQ(D("123456.78").integer_digits(), 6);
  EXPECT_EQ(D("0.05").integer_digits(), 0);
  EXPECT_EQ(D("123.45").digits(), 5);
}

TEST(SdkDecimal, ArithmeticIsExactAndChecked) {
  EXPECT_EQ(D("0.1").add(D("0.2")).value.to_string(), "0.3");
  EXPECT_EQ(D("10").subtract(D("0.01")).value.to_string(), "9.99");
  EXPECT_EQ(D("12.34").multiply(int64_t{-3}).value.to_string(), "-37.02");
  EXPECT_EQ(D("1.5").multiply(D("1.5")).value.to_string(), "2.25");
  const Decimal max = D("99999999999999999999999999999999999999");
  EXPECT_EQ(max.add(D("1")).error, Errc::overflow);
  EXPECT_EQ(max.multiply(int64_t{2}).error, Errc::overflow);
  EXPECT_EQ(max.negate().subtract(D("1")).error, Errc::overflow);
  EXPECT_EQ(max.add(D("0.1")).error, Errc::overflow);  // aligning scales overflows
}

TEST(SdkDecimal, MinorUnitsRoundTrip) {
  EXPECT_EQ(Decimal::from_minor_units(12345, 2).value.to_string(), "123.45");
  EXPECT_EQ(Decimal::from_minor_units(-5, 3).value.to_string(), "-0.005");
  EXPECT_EQ(D("123.45").to_minor_units(2, Rounding::unnecessary).value, 12345);
  EXPECT_EQ(D("123.456").to_minor_units(2, Rounding::half_even).value, 12346);
  EXPECT_EQ(D("123.456").to_minor_units(2, Rounding::unnecessary).error, Errc::inexact);
  EXPECT_EQ(D("99999999999999999999").to_minor_units(0, Rounding::unnecessary).error,
            Errc::overflow);
  EXPECT_EQ(Decimal::from_minor_units(1, 40).error, Errc::scale_out_of_range);
}

TEST(SdkDecimal, ComparesByValue) {
  EXPECT_EQ(D("1.5"), D("1.50"));
  EXPECT_FALSE(D("1.5").identical(D("1.50")));
  EXPECT_LT(D("-2"), D("1"));
  EXPECT_LT(D("1.49"), D("1.5"));
  EXPECT_GT(D("99999999999999999999999999999999999999"),
            D("0.00000000000000000000000000000000000001"));
  EXPECT_LT(D("-99999999999999999999999999999999999999"), D("-0.1"));
}

TEST(SdkDecimal, RoundingNamesRoundTrip) {
  for (auto name :
       {"half_even", "half_up", "half_down", "down", "up", "floor", "ceiling", "unnecessary"}) {
    auto r = coregate::codecs::decimal::rounding_from_name(name);
    ASSERT_TRUE(r.has_value()) << name;
    EXPECT_EQ(rounding_name(*r), name);
  }
  EXPECT_FALSE(coregate::codecs::decimal::rounding_from_name("HALF_EVEN").has_value());
}

}  // namespace
