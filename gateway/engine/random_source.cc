#include "gateway/engine/random_source.h"

#include <random>

namespace coregate::engine {

uint64_t SystemRandom::up_to(uint64_t bound) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_int_distribution<uint64_t>(0, bound)(generator);
}

}  // namespace coregate::engine
