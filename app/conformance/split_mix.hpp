// SplitMix64 (Steele, Lea, Flood 2014): a tiny fixed generator for the conformance
// runners, whose chains never need real randomness but must pass a stream to the engine.
#pragma once

#include <cstdint>

#include "protocol/core/random.hpp"

namespace cl::app {

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

}  // namespace cl::app
