#include "sdk/codecs/copybook/src/zoned.h"

#include <initializer_list>

namespace coregate::codecs::copybook::detail {

namespace {

ZonedTables make(bool ebcdic) {
  ZonedTables t{};
  for (int b = 0; b < 256; ++b) t.plain[b] = t.overpunch[b] = t.unsigned_last[b] = kBad;
  if (ebcdic) {
    for (int d = 0; d < 10; ++d) {
      t.plain[0xF0 + d] = static_cast<std::uint8_t>(d);
      t.unsigned_last[0xF0 + d] = static_cast<std::uint8_t>(d);  // unsigned: F zone only
      // Preferred signs C (+) and D (-), F (unsigned/+); A, E (+) and B (-) are also valid.
      for (int z : {0xC0, 0xF0, 0xA0, 0xE0}) t.overpunch[z + d] = static_cast<std::uint8_t>(d);
      for (int z : {0xD0, 0xB0}) t.overpunch[z + d] = static_cast<std::uint8_t>(d | kNeg);
    }
    t.plus = 0x4E;
    t.minus = 0x60;
    t.space = 0x40;
    t.point = 0x4B;
    t.comma = 0x6B;
    t.digit_zone = 0xF0;
    t.positive_zone = 0xC0;
    t.negative_zone = 0xD0;
  } else {
    for (int d = 0; d < 10; ++d) {
      t.plain[0x30 + d] = static_cast<std::uint8_t>(d);
      t.unsigned_last[0x30 + d] = static_cast<std::uint8_t>(d);
      t.overpunch[0x30 + d] = static_cast<std::uint8_t>(d);
      // GnuCOBOL / Micro Focus: negative digits are 'p'..'y' (0x70-0x79).
      t.overpunch[0x70 + d] = static_cast<std::uint8_t>(d | kNeg);
    }
    // EBCDIC-style overpunch letters carried in ASCII ({ A-I positive, } J-R negative).
    t.overpunch[static_cast<unsigned char>('{')] = 0;
    t.overpunch[static_cast<unsigned char>('}')] = kNeg;
    for (int d = 1; d < 10; ++d) {
      t.overpunch['A' + d - 1] = static_cast<std::uint8_t>(d);
      t.overpunch['J' + d - 1] = static_cast<std::uint8_t>(d | kNeg);
    }
    t.plus = '+';
    t.minus = '-';
    t.space = ' ';
    t.point = '.';
    t.comma = ',';
    t.digit_zone = 0x30;
    t.positive_zone = 0x30;
    t.negative_zone = 0x70;
  }
  return t;
}

}  // namespace

const ZonedTables& zoned_tables(bool ebcdic) {
  static const ZonedTables e = make(true);
  static const ZonedTables a = make(false);
  return ebcdic ? e : a;
}

}  // namespace coregate::codecs::copybook::detail
