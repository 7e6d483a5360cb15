// Internal: byte tables for zoned decimal digits and signs in EBCDIC and ASCII data.
#pragma once

#include <cstdint>

namespace coregate::codecs::copybook::detail {

inline constexpr std::uint8_t kBad = 0x80;  // not valid in this position
inline constexpr std::uint8_t kNeg = 0x10;  // overpunch says negative

struct ZonedTables {
  std::uint8_t plain[256];          // unsigned digit byte -> 0..9, else kBad
  std::uint8_t overpunch[256];      // sign-carrying digit -> 0..9 | kNeg?, else kBad
  std::uint8_t unsigned_last[256];  // last byte of an unsigned field (F or C zone)
  std::uint8_t plus, minus, space, point, comma;
  std::uint8_t digit_zone;     // 0xF0 (EBCDIC) or 0x30 (ASCII)
  std::uint8_t positive_zone;  // overpunch zone written for + (0xC0 / ASCII: digit itself)
  std::uint8_t negative_zone;  // 0xD0 (EBCDIC); ASCII uses 0x70 ('p'..'y', GnuCOBOL/MF)
};

const ZonedTables& zoned_tables(bool ebcdic);

}  // namespace coregate::codecs::copybook::detail
