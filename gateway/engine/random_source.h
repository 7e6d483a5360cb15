// Randomness for jitter, injected so tests can check delays exactly.
#pragma once

#include <cstdint>

namespace coregate::engine {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A uniformly distributed integer in [0, bound] (inclusive). Thread-safe.
  virtual uint64_t up_to(uint64_t bound) = 0;
};

// A per-thread 64-bit Mersenne twister seeded from std::random_device.
class SystemRandom final : public RandomSource {
 public:
  uint64_t up_to(uint64_t bound) override;
};

}  // namespace coregate::engine
