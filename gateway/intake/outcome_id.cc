#include "gateway/intake/outcome_id.h"

#include <chrono>
#include <random>

namespace coregate::intake {

std::string new_outcome_id() {
  thread_local std::mt19937_64 random([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  const uint64_t ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  const uint64_t r1 = random();
  const uint64_t r2 = random();
  unsigned char bytes[16];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  bytes[6] = static_cast<unsigned char>(0x70 | ((r1 >> 8) & 0x0F));  // version 7
  bytes[7] = static_cast<unsigned char>(r1);
  bytes[8] = static_cast<unsigned char>(0x80 | ((r2 >> 56) & 0x3F));  // variant 10
  for (int i = 9; i < 16; ++i) bytes[i] = static_cast<unsigned char>(r2 >> (8 * (15 - i)));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

}  // namespace coregate::intake
