#include "gateway/schema/decimal_number.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

namespace coregate::schema::detail {

namespace {

using u128 = unsigned __int128;

// An exact decimal: (negative ? -1 : 1) * mantissa * 10^exponent.
struct Decimal {
  bool negative = false;
  std::uint64_t mantissa = 0;
  int exponent = 0;
};

// The shortest decimal that round-trips to the double, as the author most likely wrote it.
std::optional<Decimal> to_decimal(const boost::json::value& v) {
  Decimal d;
  if (v.is_int64()) {
    std::int64_t i = v.get_int64();
    d.negative = i < 0;
    d.mantissa = i < 0 ? static_cast<std::uint64_t>(-(i + 1)) + 1 : static_cast<std::uint64_t>(i);
    return d;
  }
  if (v.is_uint64()) {
    d.mantissa = v.get_uint64();
    return d;
  }
  double x = v.get_double();
  if (!std::isfinite(x)) return std::nullopt;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  if (ec != std::errc()) return std::nullopt;
  // Form: [-]D[.DDD]e[+-]XX
  const char* p = buf;
  if (*p == '-') {
    d.negative = true;
    ++p;
  }
  int fraction_digits = 0;
  bool in_fraction = false;
  for (; p < end && *p != 'e'; ++p) {
    if (*p == '.') {
      in_fraction = true;
      continue;
    }
    if (d.mantissa > (UINT64_MAX - 9) / 10) return std::nullopt;
    d.mantissa = d.mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
    if (in_fraction) ++fraction_digits;
  }
  int exp = 0;
  if (p < end) {
    ++p;
    if (*p == '+') ++p;
    std::from_chars(p, end, exp);
  }
  d.exponent = exp - fraction_digits;
  return d;
}

// 10^k mod m, by square-and-multiply (m > 0).
u128 pow10_mod(int k, u128 m) {
  u128 result = 1 % m;
  u128 base = 10 % m;
  while (k > 0) {
    if (k & 1) result = (result * base) % m;
    base = (base * base) % m;
    k >>= 1;
  }
  return result;
}

}  // namespace

int compare_numbers(const boost::json::value& a, const boost::json::value& b) {
  // Exact paths for integer pairs; mixed pairs go through long double, which holds every int64
  // and every double exactly enough to order them correctly for realistic schema limits.
  if (a.is_int64() && b.is_int64()) {
    return a.get_int64() < b.get_int64() ? -1 : (a.get_int64() > b.get_int64() ? 1 : 0);
  }
  if (a.is_uint64() && b.is_uint64()) {
    return a.get_uint64() < b.get_uint64() ? -1 : (a.get_uint64() > b.get_uint64() ? 1 : 0);
  }
  if (a.is_int64() && b.is_uint64()) {
    if (a.get_int64() < 0) return -1;
    auto x = static_cast<std::uint64_t>(a.get_int64());
    return x < b.get_uint64() ? -1 : (x > b.get_uint64() ? 1 : 0);
  }
  if (a.is_uint64() && b.is_int64()) return -compare_numbers(b, a);
  auto as_long_double = [](const boost::json::value& v) -> long double {
    if (v.is_int64()) return static_cast<long double>(v.get_int64());
    if (v.is_uint64()) return static_cast<long double>(v.get_uint64());
    return static_cast<long double>(v.get_double());
  };
  long double x = as_long_double(a);
  long double y = as_long_double(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

bool is_integral_number(const boost::json::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (!v.is_double()) return false;
  double x = v.get_double();
  return std::isfinite(x) && std::trunc(x) == x;
}

bool is_multiple_of(const boost::json::value& instance, const boost::json::value& divisor) {
  auto a = to_decimal(instance);
  auto b = to_decimal(divisor);
  if (!a || !b || b->mantissa == 0) {
    // No exact decimal form (inf/NaN or out of range): the best floating point can say.
    double x = instance.to_number<double>();
    double y = divisor.to_number<double>();
    if (!std::isfinite(x)) return false;
    double q = x / y;
    if (!std::isfinite(q)) return false;
    return std::trunc(q) == q;
  }
  if (a->mantissa == 0) return true;
  int k = a->exponent - b->exponent;
  const u128 m = b->mantissa;
  if (k >= 0) {
    // a/b = (ma * 10^k) / mb.
    return ((static_cast<u128>(a->mantissa) % m) * pow10_mod(k, m)) % m == 0;
  }
  // a/b = ma / (mb * 10^-k): needs mb * 10^-k to divide ma, impossible once it exceeds ma.
  u128 denominator = m;
  for (int i = 0; i < -k; ++i) {
    denominator *= 10;
    if (denominator > a->mantissa) return false;
  }
  return static_cast<u128>(a->mantissa) % denominator == 0;
}

}  // namespace coregate::schema::detail
