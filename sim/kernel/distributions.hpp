// Distributions over a stream of 64-bit words, written out here so that a given stream
// gives the same values with any standard library (DESIGN.md §6: libstdc++'s
// std::*_distribution are not portable). Each function documents exactly how many
// words it consumes and the formula it applies; the tests pin values for fixed seeds.
//
// The functions are templates over any `BitSource` (anything with next_u64(), such as
// cl::RandomSource or RandomStream); with a RandomStream& the calls are not virtual.
// Transcendental functions come from the C library (log, exp, pow, sqrt): glibc's are
// deterministic on a given build, and every Duration drawn is rounded to whole
// nanoseconds, but a different libm could differ in the last bit of a double.
//
// Thread-safety: stateless; the stream passed in is mutated.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "protocol/core/assert.hpp"
#include "protocol/core/random.hpp"
#include "sim/kernel/time.hpp"
#include "sim/kernel/ziggurat.hpp"

namespace cl::sim {

template <class R>
concept BitSource = requires(R& r) {
    { r.next_u64() } -> std::same_as<std::uint64_t>;
};

// Uniform on [0, 1): the top 53 bits of one word, times 2^-53. One word.
template <BitSource R>
double uniform01(R& rng) {
    return static_cast<double>(rng.next_u64() >> 11) * 0x1.0p-53;
}

// Uniform on (0, 1]: (top 53 bits + 1) * 2^-53. One word. Safe to take the log of.
template <BitSource R>
double uniform01_open_closed(R& rng) {
    return static_cast<double>((rng.next_u64() >> 11) + 1) * 0x1.0p-53;
}

// lo + (hi - lo) * uniform01. One word. REQUIRES: lo <= hi, both finite.
template <BitSource R>
double uniform_real(R& rng, double lo, double hi) {
    return lo + (hi - lo) * uniform01(rng);
}

// Uniform integer in [lo, hi] (both inclusive), unbiased: cl::uniform_below (Lemire's
// multiply-and-reject; usually one word). The full int64 range takes one word.
// REQUIRES: lo <= hi.
inline std::int64_t uniform_int(cl::RandomSource& rng, std::int64_t lo, std::int64_t hi) {
    CL_ASSERT(lo <= hi);
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    const std::uint64_t offset = span == 0 ? rng.next_u64() : cl::uniform_below(rng, span);
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + offset);
}

// True with probability p: uniform01 < p. One word. p <= 0 is never, p >= 1 always.
template <BitSource R>
bool bernoulli(R& rng, double p) {
    return uniform01(rng) < p;
}

// Exponential with the given mean (rate 1/mean): -mean * log(u), u = uniform01_open_closed.
// One word. REQUIRES: mean >= 0.
template <BitSource R>
double exponential(R& rng, double mean) {
    return -mean * std::log(uniform01_open_closed(rng));
}

// Rounds a non-negative count of nanoseconds to the nearest whole one, saturating at
// Duration::max(). REQUIRES: ns >= 0 (NaN is a bug).
inline Duration round_to_duration(double ns) {
    CL_ASSERT(ns >= 0);
    if (ns >= 9.2e18) return Duration::max();
    return nanos(static_cast<std::int64_t>(ns + 0.5));
}

// An exponential delay with the given mean, rounded to the nearest nanosecond. One word.
// REQUIRES: mean >= 0.
template <BitSource R>
Duration exponential(R& rng, Duration mean) {
    return round_to_duration(exponential(rng, static_cast<double>(mean.nanos())));
}

// Exponential with the given mean by the ziggurat (ziggurat.hpp, which specifies the
// algorithm): mean * ziggurat::standard_exponential. Exact like exponential() but
// several times cheaper and with other values for the same stream; usually one word
// (~1.034 on average). For new hot paths; exponential() stays as it is (its values are
// pinned and scenarios use it). REQUIRES: mean >= 0.
template <BitSource R>
double exponential_ziggurat(R& rng, double mean) {
    return mean * ziggurat::standard_exponential(rng);
}

// exponential_ziggurat with the given mean, rounded to the nearest nanosecond.
// REQUIRES: mean >= 0.
template <BitSource R>
Duration exponential_ziggurat(R& rng, Duration mean) {
    return round_to_duration(exponential_ziggurat(rng, static_cast<double>(mean.nanos())));
}

// Normal by the Marsaglia polar method: draw u, v = 2*uniform01 - 1 (two words) until
// 0 < s = u² + v² < 1, return mean + stddev * u * sqrt(-2 ln s / s). Only the first of
// the pair is used (the function is stateless), so each draw takes 2 words per attempt,
// 2·4/π ≈ 2.55 words on average. REQUIRES: stddev >= 0.
template <BitSource R>
double normal(R& rng, double mean, double stddev) {
    for (;;) {
        const double u = 2.0 * uniform01(rng) - 1.0;
        const double v = 2.0 * uniform01(rng) - 1.0;
        const double s = u * u + v * v;
        if (s > 0.0 && s < 1.0) return mean + stddev * u * std::sqrt(-2.0 * std::log(s) / s);
    }
}

// Lognormal: exp(normal(mu, sigma)), where mu and sigma are the mean and standard
// deviation of the logarithm. Words as normal(). REQUIRES: sigma >= 0.
template <BitSource R>
double lognormal(R& rng, double mu, double sigma) {
    return std::exp(normal(rng, mu, sigma));
}

// Pareto (type I) with minimum `scale` and tail index `shape`:
// scale * pow(u, -1/shape), u = uniform01_open_closed. One word. Mean shape·scale/(shape-1)
// for shape > 1. REQUIRES: scale > 0, shape > 0.
template <BitSource R>
double pareto(R& rng, double scale, double shape) {
    return scale * std::pow(uniform01_open_closed(rng), -1.0 / shape);
}

// A choice among n outcomes with the given non-negative weights: the smallest index i
// with uniform01 * total < cumulative[i] (so zero-weight outcomes are never chosen).
// One word, O(log n). Weights are summed once, left to right.
class WeightedChoice {
  public:
    // Nullopt when the weights are empty, any is negative or not finite, or all are 0.
    static std::optional<WeightedChoice> from_weights(std::span<const double> weights) {
        if (weights.empty()) return std::nullopt;
        std::vector<double> cumulative;
        cumulative.reserve(weights.size());
        double total = 0;
        for (const double w : weights) {
            if (!(w >= 0) || !std::isfinite(w)) return std::nullopt;
            total += w;
            cumulative.push_back(total);
        }
        if (!(total > 0) || !std::isfinite(total)) return std::nullopt;
        return WeightedChoice(std::move(cumulative));
    }

    template <BitSource R>
    std::size_t pick(R& rng) const {
        const double x = uniform01(rng) * cumulative_.back();
        const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
        // x < total, so `it` is in range unless rounding put x on the total.
        const auto index = static_cast<std::size_t>(it - cumulative_.begin());
        return std::min(index, last_positive_);
    }

    std::size_t size() const { return cumulative_.size(); }

  private:
    explicit WeightedChoice(std::vector<double> cumulative) : cumulative_(std::move(cumulative)) {
        last_positive_ = cumulative_.size() - 1;
        while (last_positive_ > 0 && cumulative_[last_positive_] == cumulative_[last_positive_ - 1])
            --last_positive_;
    }
    std::vector<double> cumulative_;
    std::size_t last_positive_ = 0;  // the last index with a positive weight
};

}  // namespace cl::sim
