#include "coregate/codecs/decimal/decimal.h"

#include <array>
#include <cstdint>
#include <limits>

namespace coregate::codecs::decimal {
namespace {

using Coefficient = Decimal::Coefficient;

constexpr std::array<Coefficient, 39> make_powers() {
  std::array<Coefficient, 39> powers{};
  powers[0] = 1;
  for (size_t i = 1; i < powers.size(); ++i) powers[i] = powers[i - 1] * 10;
  return powers;
}
constexpr std::array<Coefficient, 39> kPow10 = make_powers();
// The invariant bound on every coefficient: 38 nines. Keeping every intermediate below it (rather
// than relying on __int128 overflow builtins, which clang lowers to a libgcc-less helper) makes
// each overflow check a plain comparison.
constexpr Coefficient kMaxCoefficient = kPow10[38] - 1;

// kMaxCoefficient / 10^n, so overflow checks on the hot path never divide 128-bit numbers (a
// library call costing tens of nanoseconds).
constexpr std::array<Coefficient, 39> make_scale_limits() {
  std::array<Coefficient, 39> limits{};
  for (size_t n = 0; n < limits.size(); ++n) limits[n] = kMaxCoefficient / kPow10[n];
  return limits;
}
constexpr std::array<Coefficient, 39> kScaleUpLimit = make_scale_limits();

Coefficient magnitude(Coefficient c) {
  return c < 0 ? -c : c;
}

int count_digits(Coefficient c) {
  Coefficient m = magnitude(c);
  if (m <= static_cast<Coefficient>(UINT64_MAX)) {
    const auto small = static_cast<std::uint64_t>(m);
    int n = 1;
    while (n < 20 && small >= static_cast<std::uint64_t>(kPow10[n])) ++n;
    return n;
  }
  int n = 1;
  while (n < 39 && m >= kPow10[n]) ++n;
  return n;
}

// Multiplies by 10^n exactly; false on overflow.
bool scale_up(Coefficient c, int n, Coefficient& out) {
  if (c == 0) {
    out = 0;
    return true;
  }
  if (n > 38) return false;
  if (magnitude(c) > kScaleUpLimit[static_cast<size_t>(n)]) return false;
  out = c * kPow10[n];
  return true;
}

}  // namespace

std::string_view describe(Errc error) {
  switch (error) {
    case Errc::ok:
      return "ok";
    case Errc::syntax:
      return "not a decimal number ([+-]digits[.digits])";
    case Errc::too_many_digits:
      return "more than 38 significant digits";
    case Errc::overflow:
      return "result does not fit";
    case Errc::inexact:
      return "rounding needed but the rounding mode is 'unnecessary'";
    case Errc::scale_out_of_range:
      return "scale outside 0..38";
  }
  return "unknown decimal error";
}

std::optional<Rounding> rounding_from_name(std::string_view name) {
  static constexpr std::pair<std::string_view, Rounding> kNames[] = {
      {"half_even", Rounding::half_even},
      {"half_up", Rounding::half_up},
      {"half_down", Rounding::half_down},
      {"down", Rounding::down},
      {"up", Rounding::up},
      {"floor", Rounding::floor},
      {"ceiling", Rounding::ceiling},
      {"unnecessary", Rounding::unnecessary},
  };
  for (const auto& [n, r] : kNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

std::string_view rounding_name(Rounding rounding) {
  switch (rounding) {
    case Rounding::half_even:
      return "half_even";
    case Rounding::half_up:
      return "half_up";
    case Rounding::half_down:
      return "half_down";
    case Rounding::down:
      return "down";
    case Rounding::up:
      return "up";
    case Rounding::floor:
      return "floor";
    case Rounding::ceiling:
      return "ceiling";
    case Rounding::unnecessary:
      return "unnecessary";
  }
  return "?";
}

Result<Decimal> Decimal::parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  Coefficient c = 0;
  int significant = 0;
  int scale = 0;
  size_t integer_start = i;
  auto take_digit = [&](char ch) {
    if (c == 0 && ch == '0') return true;  // leading zeros are not significant
    if (++significant > kMaxDigits) return false;
    c = c * 10 + (ch - '0');
    return true;
  };
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (!take_digit(text[i])) return {{}, Errc::too_many_digits};
    ++i;
  }
  if (i == integer_start) return {{}, Errc::syntax};
  if (i < text.size() && text[i] == '.') {
    ++i;
    size_t fraction_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++scale > kMaxScale) return {{}, Errc::too_many_digits};
      if (c == 0 && text[i] == '0') {
        ++i;
        continue;
      }
      if (++significant > kMaxDigits) return {{}, Errc::too_many_digits};
      c = c * 10 + (text[i] - '0');
      ++i;
    }
    if (i == fraction_start) return {{}, Errc::syntax};
  }
  if (i != text.size()) return {{}, Errc::syntax};
  // A zero coefficient skips digits above, so a scale like "0.000" is still counted by `scale`.
  return {Decimal(negative ? -c : c, scale), Errc::ok};
}

Result<Decimal> Decimal::from_unsigned(std::uint64_t value) {
  return {Decimal(static_cast<Coefficient>(value), 0), Errc::ok};
}

Result<Decimal> Decimal::from_minor_units(std::int64_t units, int scale) {
  if (scale < 0 || scale > kMaxScale) return {{}, Errc::scale_out_of_range};
  return {Decimal(units, scale), Errc::ok};
}

Result<Decimal> Decimal::from_coefficient(Coefficient coefficient, int scale) {
  if (scale < 0 || scale > kMaxScale) return {{}, Errc::scale_out_of_range};
  if (magnitude(coefficient) > kMaxCoefficient) return {{}, Errc::overflow};
  return {Decimal(coefficient, scale), Errc::ok};
}

int Decimal::digits() const {
  return count_digits(coefficient_);
}

int Decimal::integer_digits() const {
  if (coefficient_ == 0) return 0;
  int d = count_digits(coefficient_) - scale_;
  return d < 0 ? 0 : d;
}

Result<Decimal> Decimal::rescale(int new_scale, Rounding rounding) const {
  if (new_scale < 0 || new_scale > kMaxScale) return {{}, Errc::scale_out_of_range};
  if (new_scale >= scale_) {
    Coefficient out;
    if (!scale_up(coefficient_, new_scale - scale_, out)) return {{}, Errc::overflow};
    return {Decimal(out, new_scale), Errc::ok};
  }
  const int drop = scale_ - new_scale;  // 1..38
  const Coefficient divisor = kPow10[drop];
  Coefficient quotient;
  Coefficient remainder;  // sign follows the coefficient
  if (drop <= 18 && coefficient_ >= INT64_MIN && coefficient_ <= INT64_MAX) {
    // The everyday case in 64-bit arithmetic (128-bit division is a library call).
    const auto c = static_cast<std::int64_t>(coefficient_);
    const auto d = static_cast<std::int64_t>(divisor);
    quotient = c / d;
    remainder = c % d;
  } else {
    quotient = coefficient_ / divisor;
    remainder = coefficient_ % divisor;
  }
  if (remainder == 0) return {Decimal(quotient, new_scale), Errc::ok};

  const Coefficient twice = magnitude(remainder) * 2;  // < 2·10^38, fits in __int128
  const int versus_half = twice < divisor ? -1 : (twice == divisor ? 0 : 1);
  const int away = coefficient_ < 0 ? -1 : 1;
  bool bump = false;  // move one unit away from zero
  switch (rounding) {
    case Rounding::unnecessary:
      return {{}, Errc::inexact};
    case Rounding::down:
      break;
    case Rounding::up:
      bump = true;
      break;
    case Rounding::floor:
      bump = away < 0;
      break;
    case Rounding::ceiling:
      bump = away > 0;
      break;
    case Rounding::half_up:
      bump = versus_half >= 0;
      break;
    case Rounding::half_down:
      bump = versus_half > 0;
      break;
    case Rounding::half_even:
      bump = versus_half > 0 || (versus_half == 0 && (quotient % 2) != 0);
      break;
  }
  if (bump) quotient += away;  // cannot exceed 38 digits: we dropped at least one digit
  return {Decimal(quotient, new_scale), Errc::ok};
}

bool Decimal::fits(int precision, int scale) const {
  if (precision <= 0 || scale < 0 || scale > precision) return false;
  auto exact = rescale(scale, Rounding::unnecessary);
  if (!exact) return false;
  return exact.value.coefficient_ == 0 || count_digits(exact.value.coefficient_) <= precision;
}

Result<Decimal> Decimal::add(const Decimal& other) const {
  const int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  Coefficient a, b;
  if (!scale_up(coefficient_, scale - scale_, a) ||
      !scale_up(other.coefficient_, scale - other.scale_, b)) {
    return {{}, Errc::overflow};
  }
  const Coefficient sum = a + b;  // |a|,|b| < 10^38 so the sum fits in __int128
  if (magnitude(sum) > kMaxCoefficient) return {{}, Errc::overflow};
  return {Decimal(sum, scale), Errc::ok};
}

Result<Decimal> Decimal::subtract(const Decimal& other) const {
  return add(other.negate());
}

Result<Decimal> Decimal::multiply(std::int64_t factor) const {
  if (factor == 0 || coefficient_ == 0) return {Decimal(0, scale_), Errc::ok};
  const Coefficient f = factor;
  if (magnitude(coefficient_) > kMaxCoefficient / magnitude(f)) return {{}, Errc::overflow};
  return {Decimal(coefficient_ * f, scale_), Errc::ok};
}

Result<Decimal> Decimal::multiply(const Decimal& other) const {
  const int scale = scale_ + other.scale_;
  if (scale > kMaxScale) return {{}, Errc::scale_out_of_range};
  if (coefficient_ == 0 || other.coefficient_ == 0) return {Decimal(0, scale), Errc::ok};
  if (magnitude(coefficient_) > kMaxCoefficient / magnitude(other.coefficient_)) {
    return {{}, Errc::overflow};
  }
  return {Decimal(coefficient_ * other.coefficient_, scale), Errc::ok};
}

Result<std::int64_t> Decimal::to_minor_units(int scale, Rounding rounding) const {
  auto scaled = rescale(scale, rounding);
  if (!scaled) return {0, scaled.error};
  const Coefficient c = scaled.value.coefficient_;
  if (c > std::numeric_limits<std::int64_t>::max() ||
      c < std::numeric_limits<std::int64_t>::min()) {
    return {0, Errc::overflow};
  }
  return {static_cast<std::int64_t>(c), Errc::ok};
}

void Decimal::append_to(std::string& out) const {
  // Digits are produced backwards into a local buffer, then appended in one call.
  char buffer[48];
  char* end = buffer + sizeof buffer;
  char* p = end;
  int written = 0;
  auto put = [&](int digit) {
    if (written == scale_ && scale_ > 0) *--p = '.';
    *--p = static_cast<char>('0' + digit);
    ++written;
  };
  Coefficient m = magnitude(coefficient_);
  // 128-bit division is a library call; peel digits in 64-bit arithmetic once the value fits,
  // which for money is from the start.
  while (m > static_cast<Coefficient>(UINT64_MAX)) {
    put(static_cast<int>(m % 10));
    m /= 10;
  }
  auto small = static_cast<std::uint64_t>(m);
  do {
    put(static_cast<int>(small % 10));
    small /= 10;
  } while (small != 0);
  while (written <= scale_) put(0);  // at least one digit before the point
  if (coefficient_ < 0) *--p = '-';
  out.append(p, static_cast<size_t>(end - p));
}

std::string Decimal::to_string() const {
  std::string out;
  out.reserve(static_cast<size_t>(digits() + scale_ + 3));
  append_to(out);
  return out;
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const {
  if (sign() != other.sign()) return sign() <=> other.sign();
  if (scale_ == other.scale_) return coefficient_ <=> other.coefficient_;
  // Bring both to the larger scale; if that overflows, the scaled side has the larger magnitude.
  const int scale = scale_ > other.scale_ ? scale_ : other.scale_;
  Coefficient a, b;
  const bool a_ok = scale_up(coefficient_, scale - scale_, a);
  const bool b_ok = scale_up(other.coefficient_, scale - other.scale_, b);
  if (a_ok && b_ok) return a <=> b;
  const bool a_bigger_magnitude = !a_ok;
  const bool positive = sign() > 0;
  return (a_bigger_magnitude == positive) ? std::strong_ordering::greater
                                          : std::strong_ordering::less;
}

}  // namespace coregate::codecs::decimal
