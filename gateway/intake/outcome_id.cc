#include "gateway/intake/outcome_id.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>

namespace coregate::intake {

std::string new_outcome_id() {
  thread_local std::mt19937_64 random([] {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
  }());
  // RFC 9562 method 1: a 12-bit counter in rand_a keeps ids strictly increasing within the
  // process even for thousands of ids per millisecond (the clock part may then run slightly ahead).
  static std::atomic<uint64_t> last{0};
  const uint64_t now =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count())
      << 12;
  uint64_t previous = last.load(std::memory_order_relaxed);
  uint64_t next = 0;
  do {
    next = std::max(now, previous + 1);
  } while (!last.compare_exchange_weak(previous, next, std::memory_order_relaxed));
  const uint64_t ms = next >> 12;
  const uint64_t counter = next & 0xFFF;
  const uint64_t r2 = random();
  unsigned char bytes[16];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  bytes[6] = static_cast<unsigned char>(0x70 | (counter >> 8));  // version 7
  bytes[7] = static_cast<unsigned char>(counter);
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
