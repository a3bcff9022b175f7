// Deterministic random streams for the simulated world (DESIGN.md §6, STYLE.md §8).
//
// Generator: xoshiro256** 1.0 (Blackman & Vigna, 2018), transcribed exactly from the
// reference xoshiro256starstar.c. Period 2^256 - 1; the all-zero state is forbidden.
//
// Streams: every named entity (node, link, workload, adversary) owns one stream whose
// initial state is derived from (seed, replication, name) as
//     digest = keccak256("cloudledger/sim/rng/v1" || u64be(seed) || u64be(replication) || name)
//     s[k]   = little-endian u64 of digest bytes [8k, 8k+8), k = 0..3
// so streams do not depend on creation order, on how many other streams exist, or on
// how many values another stream has drawn. Changing this derivation changes every
// result: the tests pin its outputs.
//
// RandomStream implements cl::RandomSource, so protocol code (out-of-turn wiggle, the
// fork-choice coin flip) draws from it directly. The class is final: calls through a
// RandomStream& (as the templates in distributions.hpp make) are not virtual.
//
// Thread-safety: a stream is a value; share none between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "protocol/core/random.hpp"

namespace cl::sim {

class Xoshiro256StarStar {
  public:
    using State = std::array<std::uint64_t, 4>;

    // REQUIRES: state is not all zero.
    explicit Xoshiro256StarStar(const State& state);

    std::uint64_t next() {
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

    // Advances by 2^128 draws (the reference jump()): 2^128 non-overlapping subsequences.
    void jump();

    const State& state() const { return s_; }

  private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    State s_;
};

class RandomStream final : public cl::RandomSource {
  public:
    explicit RandomStream(const Xoshiro256StarStar::State& state) : gen_(state) {}

    // The stream of entity `name` in replication `replication` of a run seeded `seed`.
    static RandomStream derive(std::uint64_t seed, std::uint64_t replication, std::string_view name);

    std::uint64_t next_u64() override { return gen_.next(); }

    const Xoshiro256StarStar& generator() const { return gen_; }

  private:
    Xoshiro256StarStar gen_;
};

// The seed and replication of one run; hands out the stream of any named entity.
class RandomStreams {
  public:
    RandomStreams(std::uint64_t seed, std::uint64_t replication) : seed_(seed), replication_(replication) {}

    RandomStream stream(std::string_view name) const {
        return RandomStream::derive(seed_, replication_, name);
    }
    std::uint64_t seed() const { return seed_; }
    std::uint64_t replication() const { return replication_; }

  private:
    std::uint64_t seed_;
    std::uint64_t replication_;
};

}  // namespace cl::sim
