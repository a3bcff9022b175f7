// SplitMix64 (Steele, Lea, Flood 2014): a small, fully specified RandomSource for
// drivers and tests that need a reproducible stream (the conformance runners, unit
// tests). Protocol code never creates one: it only draws from the stream it is given.
#pragma once

#include <cstdint>

#include "protocol/core/random.hpp"

namespace cl {

class SplitMix64 final : public RandomSource {
  public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next_u64() override {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

  private:
    std::uint64_t state_;
};

}  // namespace cl
