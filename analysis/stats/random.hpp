// Deterministic random streams for the analysis layer (DESIGN.md §6, STYLE.md §8): the
// bootstrap's resampling draws from one of these, so an interval is a pure function of
// (values, seed, stream name, options) and identical on every machine and at any
// parallelism.
//
// Generator: xoshiro256** 1.0 (Blackman & Vigna, 2018), as sim/kernel/random.hpp (the
// analysis layer may not link sim/, so the 10 lines are repeated here). The initial state
// of the stream `name` of seed `seed` is
//     digest = keccak256("cloudledger/analysis/rng/v1" || u64be(seed) || name)
//     s[k]   = little-endian u64 of digest bytes [8k, 8k+8), k = 0..3
// — a domain of its own, so no analysis stream equals a simulation stream. Changing this
// derivation changes every bootstrap interval: the tests pin its outputs.
//
// Thread-safety: a stream is a value; share none between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cl::analysis {

class AnalysisStream {
  public:
    using State = std::array<std::uint64_t, 4>;

    // The stream `name` of seed `seed`.
    static AnalysisStream derive(std::uint64_t seed, std::string_view name);

    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform integer in [0, n), unbiased (Lemire 2019, "Fast random integer generation in
    // an interval": multiply-high with rejection of the short first interval).
    // REQUIRES: n > 0.
    std::uint64_t below(std::uint64_t n);

    // Uniform double in [0, 1): the top 53 bits of one word times 2^-53.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    const State& state() const { return s_; }

  private:
    explicit AnalysisStream(const State& state) : s_(state) {}
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    State s_;
};

}  // namespace cl::analysis
