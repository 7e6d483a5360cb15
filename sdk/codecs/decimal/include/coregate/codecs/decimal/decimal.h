// Exact decimal numbers for money and COBOL implied decimals (DESIGN §2: money never passes through
// binary floating point).
//
// A Decimal is an integer coefficient and a scale: value = coefficient × 10^-scale, with at most
// 38 significant digits (|coefficient| ≤ 10^38 − 1) and 0 ≤ scale ≤ 38. "12.50" keeps its scale 2;
// two decimals compare equal by value ("12.5" == "12.50").
//
// Contract:
//  - Every operation is exact or fails; none rounds silently. Rounding happens only in rescale()
//    and to_minor_units(), with the caller's named Rounding mode; Rounding::unnecessary refuses to
//    round (Errc::inexact).
//  - Results that would exceed 38 digits fail with Errc::overflow; nothing wraps.
//  - No allocation except to_string(); no exceptions; a Decimal is a 32-byte value, safe to copy
//    and to share between threads (all members are const).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace coregate::codecs::decimal {

// Why an operation failed.
enum class Errc : std::uint8_t {
  ok = 0,
  syntax,           // text is not [+-]digits[.digits]
  too_many_digits,  // more than 38 significant digits, or a scale above 38
  overflow,         // the result needs more than 38 digits (or more than the target holds)
  inexact,          // Rounding::unnecessary but digits would be dropped
  scale_out_of_range,
};
// A short English phrase for messages: "more than 38 significant digits".
std::string_view describe(Errc error);

// How to drop digits when reducing the scale. Names are the ones mapping files use.
enum class Rounding : std::uint8_t {
  half_even,    // to nearest, ties to the even digit (banker's rounding)
  half_up,      // to nearest, ties away from zero (the commercial rule)
  half_down,    // to nearest, ties toward zero
  down,         // toward zero (truncate)
  up,           // away from zero
  floor,        // toward −∞
  ceiling,      // toward +∞
  unnecessary,  // the value must already fit: dropping a non-zero digit is Errc::inexact
};
// "half_even" → Rounding::half_even; nullopt for an unknown name.
std::optional<Rounding> rounding_from_name(std::string_view name);
std::string_view rounding_name(Rounding rounding);

// A value or the reason there is none. [[nodiscard]]: an unchecked decimal failure is a bug.
template <typename T>
struct [[nodiscard]] Result {
  T value{};
  Errc error = Errc::ok;

  bool ok() const { return error == Errc::ok; }
  explicit operator bool() const { return ok(); }
};

class Decimal {
 public:
  using Coefficient = __int128;
  static constexpr int kMaxDigits = 38;
  static constexpr int kMaxScale = 38;

  // Zero with scale 0.
  constexpr Decimal() = default;

  // Parses "[+-]digits[.digits]" exactly (no exponent, no spaces, no thousands separators).
  // Leading zeros do not count toward the 38 digits; fractional digits, trailing zeros included,
  // set the scale ("1.50" has scale 2).
  static Result<Decimal> parse(std::string_view text);
  static Decimal from_integer(std::int64_t value) { return Decimal(value, 0); }
  static Result<Decimal> from_unsigned(std::uint64_t value);
  // Integer minor units at a scale: (12345, 2) → 123.45. Scale must be 0..38.
  static Result<Decimal> from_minor_units(std::int64_t units, int scale);
  // Raw constructor for callers that hold a coefficient (e.g. a packed-decimal decoder).
  static Result<Decimal> from_coefficient(Coefficient coefficient, int scale);

  Coefficient coefficient() const { return coefficient_; }
  int scale() const { return scale_; }
  // −1, 0 or +1.
  int sign() const { return coefficient_ < 0 ? -1 : (coefficient_ > 0 ? 1 : 0); }
  bool is_zero() const { return coefficient_ == 0; }
  // Digits in the coefficient, at least 1 ("0.05" → 1, "123.45" → 5).
  int digits() const;
  // Digits before the decimal point once leading zeros are dropped ("0.05" → 0, "123.45" → 3).
  int integer_digits() const;

  // The same value at another scale. Raising the scale is exact (may overflow); lowering it drops
  // digits using `rounding`.
  Result<Decimal> rescale(int new_scale, Rounding rounding) const;
  // True when the value is representable exactly with at most `precision` total digits and exactly
  // `scale` fractional digits: PIC S9(5)V99 is fits(7, 2). Does not round.
  bool fits(int precision, int scale) const;

  Result<Decimal> add(const Decimal& other) const;
  Result<Decimal> subtract(const Decimal& other) const;
  Result<Decimal> multiply(std::int64_t factor) const;
  Result<Decimal> multiply(const Decimal& other) const;
  Decimal negate() const { return Decimal(-coefficient_, scale_); }

  // Integer minor units at `scale` (123.45 at scale 2 → 12345), rounding as asked; overflow when
  // the result leaves int64.
  Result<std::int64_t> to_minor_units(int scale, Rounding rounding) const;

  // Plain notation, keeping the scale: "-0.50", "12", "123.45". Zero is never negative.
  std::string to_string() const;
  void append_to(std::string& out) const;

  // Numeric order, scale ignored ("1.5" == "1.50").
  std::strong_ordering operator<=>(const Decimal& other) const;
  bool operator==(const Decimal& other) const { return (*this <=> other) == 0; }
  // Same value AND same scale.
  bool identical(const Decimal& other) const {
    return coefficient_ == other.coefficient_ && scale_ == other.scale_;
  }

 private:
  constexpr Decimal(Coefficient coefficient, int scale)
      : coefficient_(coefficient), scale_(scale) {}

  Coefficient coefficient_ = 0;
  int scale_ = 0;
};

}  // namespace coregate::codecs::decimal
