// Reproducible random draws for fault injection. A draw is a pure function of the seed, a purpose
// tag, the idempotency key and a counter (the attempt number), not of a shared generator's state:
// the same config and seed give every key the same faults no matter how threads interleave or how
// often the gateway restarts. That is what makes a failing crash test re-runnable.
#pragma once

#include <cstdint>
#include <string_view>

namespace coregate::plugins::testing {

// What a draw is for, so two decisions about one key and attempt are independent.
enum class DrawPurpose : uint64_t {
  kWriteFault = 1,
  kAmbiguousCoin = 2,
  kLatency = 3,
  kProbeFault = 4,
  kHealthFault = 5,
};

constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t fnv1a(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// Uniform in [0, 1).
constexpr double seeded_draw(uint64_t seed, DrawPurpose purpose, std::string_view key,
                             uint64_t counter) {
  uint64_t h = splitmix64(seed ^ splitmix64(static_cast<uint64_t>(purpose)));
  h = splitmix64(h ^ fnv1a(key));
  h = splitmix64(h ^ counter);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

}  // namespace coregate::plugins::testing
