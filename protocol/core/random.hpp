// The narrow interface through which protocol code receives randomness.
//
// protocol/ owns no generator (DESIGN.md §2, §6): every random choice (out-of-turn
// wiggle, geth's fork-choice coin flip, vote proposal) draws from a stream that the
// caller passes in, so the caller decides seeding and the results stay reproducible.
// The distributions here are written out, not taken from libstdc++, so that the same
// stream gives the same values with any standard library.
#pragma once

#include <cstdint>

namespace cl {

class RandomSource {
  public:
    virtual ~RandomSource() = default;
    // Next 64 uniformly distributed bits.
    virtual std::uint64_t next_u64() = 0;
};

// Uniform integer in [0, bound). REQUIRES: bound > 0.
// Lemire's multiply-and-reject method: unbiased, usually one draw.
std::uint64_t uniform_below(RandomSource& rng, std::uint64_t bound);

// True with probability 1/2 (geth's `rand.Float64() < 0.5`, on the top bit).
bool coin_flip(RandomSource& rng);

}  // namespace cl
