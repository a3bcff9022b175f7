// Distributions (sim/kernel/distributions.hpp): values pinned for a fixed stream (so a
// change of formula or word consumption is caught), and moments checked statistically.
#include "sim/kernel/distributions.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/kernel/random.hpp"

namespace cl::sim {
namespace {

RandomStream pinned_stream() { return RandomStream::derive(2024, 0, "distributions"); }

// Draws in this exact sequence from one stream. Doubles from log/exp/pow/sqrt are
// compared to 4 ULP (EXPECT_DOUBLE_EQ); everything else exactly.
TEST(Distributions, ValuesArePinned) {
    RandomStream d = pinned_stream();
    EXPECT_EQ(uniform01(d), 0.1421449054804329);
    EXPECT_EQ(uniform01(d), 0.65921096401907009);
    EXPECT_EQ(uniform01(d), 0.80649842912761882);
    EXPECT_DOUBLE_EQ(exponential(d, 1.0), 2.5990474640518619);
    EXPECT_DOUBLE_EQ(exponential(d, 1.0), 2.868369095166706);
    EXPECT_DOUBLE_EQ(exponential(d, 1.0), 0.59443385519917114);
    EXPECT_DOUBLE_EQ(normal(d, 0.0, 1.0), -0.55877756015409297);
    EXPECT_DOUBLE_EQ(normal(d, 0.0, 1.0), -0.24232159699355532);
    EXPECT_DOUBLE_EQ(normal(d, 0.0, 1.0), -1.6609500012663869);
    EXPECT_DOUBLE_EQ(lognormal(d, 0.0, 0.5), 1.9308517024270961);
    EXPECT_DOUBLE_EQ(pareto(d, 1.0, 3.0), 2.3085683405081903);
    for (const std::int64_t expected : {4, 1, 2, 1, 1}) EXPECT_EQ(uniform_int(d, 1, 6), expected);
    for (const bool expected : {false, false, true, false, true, false, false, false})
        EXPECT_EQ(bernoulli(d, 0.3), expected);
    EXPECT_EQ(exponential(d, millis(1)), nanos(212994));
    EXPECT_EQ(exponential(d, millis(1)), nanos(324270));
    EXPECT_EQ(exponential(d, millis(1)), nanos(2057374));
    const auto w = WeightedChoice::from_weights(std::vector<double>{1, 0, 2, 7});
    ASSERT_TRUE(w.has_value());
    for (const std::size_t expected : {3, 3, 2, 3, 3, 3, 3, 3}) EXPECT_EQ(w->pick(d), expected);
}

// The ziggurat (ziggurat.hpp) involves no libm on its fast path, so its values are
// pinned exactly; scripts/gen-ziggurat-tables documents the tables and an independent
// Python transcription of the algorithm gives the same values.
TEST(Distributions, ZigguratValuesArePinned) {
    RandomStream d = RandomStream::derive(2024, 0, "ziggurat");
    for (const double expected :
         {0.468859106343396, 1.6895051050303205, 0.58983323499002627, 0.86681570848634448,
          0.41254091876400789, 2.5738629161267221, 1.4622691650696176, 1.7868353379917332})
        EXPECT_EQ(exponential_ziggurat(d, 1.0), expected);
    for (const std::int64_t expected : {2955017, 1230884, 6287580})
        EXPECT_EQ(exponential_ziggurat(d, millis(1)), nanos(expected));
}

// Scripted words drive each branch: the core of a layer, the tail, a rejected then an
// accepted wedge; the words consumed are counted.
TEST(Distributions, ZigguratTakesEveryPath) {
    struct Script {
        std::vector<std::uint64_t> words;
        std::size_t used = 0;
        std::uint64_t next_u64() { return words.at(used++); }
    };
    namespace z = ziggurat;
    constexpr std::uint64_t kHalf = std::uint64_t{1} << 63;  // u = 0.5 exactly
    Script core{{kHalf | 5}};
    EXPECT_EQ(z::standard_exponential(core), 0.5 * z::kX[5]);
    EXPECT_EQ(core.used, 1u);
    Script base{{kHalf | 0}};  // layer 0, x = kX[0] / 2 < R: the base rectangle
    EXPECT_EQ(z::standard_exponential(base), 0.5 * z::kX[0]);
    Script tail{{~std::uint64_t{0xff}, 0}};  // layer 0, x ~ kX[0] > R; then u' = 2^-53
    EXPECT_DOUBLE_EQ(z::standard_exponential(tail), z::kR + 53 * std::log(2.0));
    EXPECT_EQ(tail.used, 2u);
    // The top layer has no core (kX[256] = 0). y = kF[256] = 1 is above the curve
    // (rejected); y just above kF[255] is below it at x = kX[255] / 2 (accepted).
    Script wedge{{kHalf | 0xff, 0, kHalf | 0xff, ~std::uint64_t{0}}};
    EXPECT_EQ(z::standard_exponential(wedge), 0.5 * z::kX[255]);
    EXPECT_EQ(wedge.used, 4u);
}

// The tables describe 256 layers of equal area V = (R + 1) e^-R under e^-x.
TEST(Distributions, ZigguratTablesAreConsistent) {
    namespace z = ziggurat;
    const double v = (z::kR + 1) * std::exp(-z::kR);
    EXPECT_EQ(z::kX[1], z::kR);
    EXPECT_EQ(z::kX[256], 0.0);
    EXPECT_EQ(z::kF[256], 1.0);
    EXPECT_NEAR(z::kX[0] * z::kF[1], v, 1e-15);
    for (std::size_t i = 0; i < 256; ++i) {
        EXPECT_GT(z::kX[i], z::kX[i + 1]) << i;
        EXPECT_DOUBLE_EQ(z::kF[i], std::exp(-z::kX[i])) << i;  // 4 ULP
        if (i >= 1) {
            EXPECT_NEAR(z::kX[i] * (z::kF[i + 1] - z::kF[i]), v, 1e-16) << i;
        }
    }
}

struct Moments {
    double mean = 0;
    double variance = 0;
};

template <class Draw>
Moments moments(int n, Draw draw) {
    double sum = 0, sum_sq = 0;
    for (int i = 0; i < n; ++i) {
        const double x = draw();
        sum += x;
        sum_sq += x * x;
    }
    const double mean = sum / n;
    return {mean, sum_sq / n - mean * mean};
}

constexpr int kDraws = 400'000;

// Tolerances are ~5 standard errors of the estimate, so a correct sampler fails with
// negligible probability (and the stream is fixed, so the test is deterministic anyway).
TEST(Distributions, UniformMoments) {
    RandomStream r = RandomStream::derive(1, 0, "uniform");
    const Moments m = moments(kDraws, [&] { return uniform01(r); });
    EXPECT_NEAR(m.mean, 0.5, 5 * std::sqrt(1.0 / 12 / kDraws));
    EXPECT_NEAR(m.variance, 1.0 / 12, 0.002);
    const Moments u = moments(kDraws, [&] { return uniform_real(r, -2.0, 6.0); });
    EXPECT_NEAR(u.mean, 2.0, 0.02);
    EXPECT_NEAR(u.variance, 64.0 / 12, 0.05);
}

TEST(Distributions, UniformUnitIntervalBounds) {
    struct Fixed {
        std::uint64_t v;
        std::uint64_t next_u64() { return v; }
    };
    Fixed zero{0}, ones{~std::uint64_t{0}};
    EXPECT_EQ(uniform01(zero), 0.0);
    EXPECT_LT(uniform01(ones), 1.0);
    EXPECT_EQ(uniform01(ones), 1.0 - 0x1.0p-53);
    EXPECT_EQ(uniform01_open_closed(zero), 0x1.0p-53);
    EXPECT_EQ(uniform01_open_closed(ones), 1.0);
    EXPECT_TRUE(std::isfinite(exponential(zero, 1.0)));  // never log(0)
    EXPECT_EQ(exponential(ones, 1.0), 0.0);
}

TEST(Distributions, UniformIntCoversTheRangeEvenly) {
    RandomStream r = RandomStream::derive(1, 0, "dice");
    std::array<int, 6> counts{};
    for (int i = 0; i < 60'000; ++i) {
        const std::int64_t v = uniform_int(r, 1, 6);
        ASSERT_GE(v, 1);
        ASSERT_LE(v, 6);
        ++counts[static_cast<std::size_t>(v - 1)];
    }
    for (const int c : counts) EXPECT_NEAR(c, 10'000, 500);
    EXPECT_EQ(uniform_int(r, 5, 5), 5);
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min(),
                       hi = std::numeric_limits<std::int64_t>::max();
    (void)uniform_int(r, lo, hi);  // the full range: no overflow, no assertion
    for (int i = 0; i < 100; ++i) {
        const std::int64_t v = uniform_int(r, -3, 3);
        EXPECT_TRUE(v >= -3 && v <= 3);
    }
}

TEST(Distributions, ExponentialMoments) {
    RandomStream r = RandomStream::derive(1, 0, "exponential");
    const Moments m = moments(kDraws, [&] { return exponential(r, 2.0); });
    EXPECT_NEAR(m.mean, 2.0, 5 * 2.0 / std::sqrt(kDraws));
    EXPECT_NEAR(m.variance, 4.0, 0.15);
    const Moments d = moments(kDraws, [&] { return static_cast<double>(exponential(r, millis(1)).nanos()); });
    EXPECT_NEAR(d.mean, 1e6, 5 * 1e6 / std::sqrt(kDraws));
}

TEST(Distributions, ExponentialZigguratMomentsAndTail) {
    RandomStream r = RandomStream::derive(1, 0, "exponential_ziggurat");
    const Moments m = moments(kDraws, [&] { return exponential_ziggurat(r, 2.0); });
    EXPECT_NEAR(m.mean, 2.0, 5 * 2.0 / std::sqrt(kDraws));
    EXPECT_NEAR(m.variance, 4.0, 0.15);
    // P(X > t) = e^-t, including past R ~ 7.7 where the tail branch takes over.
    std::array<int, 4> above{};
    const std::array<double, 4> t{0.1, 1.0, 3.0, 8.0};
    for (int i = 0; i < kDraws; ++i) {
        const double x = exponential_ziggurat(r, 1.0);
        ASSERT_GE(x, 0.0);
        for (std::size_t k = 0; k < t.size(); ++k) above[k] += x > t[k] ? 1 : 0;
    }
    for (std::size_t k = 0; k < t.size(); ++k) {
        const double p = std::exp(-t[k]);
        EXPECT_NEAR(above[k], p * kDraws, 5 * std::sqrt(p * kDraws) + 1) << t[k];
    }
    const Moments d =
        moments(kDraws, [&] { return static_cast<double>(exponential_ziggurat(r, millis(1)).nanos()); });
    EXPECT_NEAR(d.mean, 1e6, 5 * 1e6 / std::sqrt(kDraws));
}

TEST(Distributions, NormalMoments) {
    RandomStream r = RandomStream::derive(1, 0, "normal");
    const Moments m = moments(kDraws, [&] { return normal(r, 3.0, 2.0); });
    EXPECT_NEAR(m.mean, 3.0, 5 * 2.0 / std::sqrt(kDraws));
    EXPECT_NEAR(m.variance, 4.0, 0.1);
    // Symmetry and tails: P(|Z| < 1) ≈ 0.6827.
    int inside = 0;
    for (int i = 0; i < kDraws; ++i) inside += std::abs(normal(r, 0.0, 1.0)) < 1.0 ? 1 : 0;
    EXPECT_NEAR(static_cast<double>(inside) / kDraws, 0.682689, 0.004);
}

TEST(Distributions, LognormalMoments) {
    RandomStream r = RandomStream::derive(1, 0, "lognormal");
    const double mu = 0.5, sigma = 0.4;
    const Moments m = moments(kDraws, [&] { return lognormal(r, mu, sigma); });
    const double mean = std::exp(mu + sigma * sigma / 2);
    const double var = (std::exp(sigma * sigma) - 1) * std::exp(2 * mu + sigma * sigma);
    EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(var / kDraws));
    EXPECT_NEAR(m.variance, var, 0.05 * var);
}

TEST(Distributions, ParetoMomentsAndSupport) {
    RandomStream r = RandomStream::derive(1, 0, "pareto");
    const double scale = 2.0, shape = 5.0;  // finite variance (shape > 2)
    double min_seen = 1e300;
    const Moments m = moments(kDraws, [&] {
        const double x = pareto(r, scale, shape);
        min_seen = std::min(min_seen, x);
        return x;
    });
    const double mean = shape * scale / (shape - 1);
    const double var = scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2));
    EXPECT_GE(min_seen, scale);
    EXPECT_NEAR(m.mean, mean, 5 * std::sqrt(var / kDraws));
    EXPECT_NEAR(m.variance, var, 0.15 * var);
}

TEST(Distributions, BernoulliFrequency) {
    RandomStream r = RandomStream::derive(1, 0, "bernoulli");
    int hits = 0;
    for (int i = 0; i < kDraws; ++i) hits += bernoulli(r, 0.3) ? 1 : 0;
    EXPECT_NEAR(static_cast<double>(hits) / kDraws, 0.3, 5 * std::sqrt(0.21 / kDraws));
    for (int i = 0; i < 1000; ++i) {
        EXPECT_FALSE(bernoulli(r, 0.0));
        EXPECT_TRUE(bernoulli(r, 1.0));
    }
}

TEST(Distributions, WeightedChoiceFrequencies) {
    RandomStream r = RandomStream::derive(1, 0, "weighted");
    const std::vector<double> weights{0, 1, 0, 3, 6, 0};
    const auto w = WeightedChoice::from_weights(weights);
    ASSERT_TRUE(w.has_value());
    EXPECT_EQ(w->size(), 6u);
    std::array<int, 6> counts{};
    for (int i = 0; i < 100'000; ++i) ++counts[w->pick(r)];
    EXPECT_EQ(counts[0] + counts[2] + counts[5], 0);  // zero weight: never
    EXPECT_NEAR(counts[1], 10'000, 500);
    EXPECT_NEAR(counts[3], 30'000, 800);
    EXPECT_NEAR(counts[4], 60'000, 800);
}

TEST(Distributions, WeightedChoiceRejectsBadWeights) {
    EXPECT_FALSE(WeightedChoice::from_weights(std::vector<double>{}).has_value());
    EXPECT_FALSE(WeightedChoice::from_weights(std::vector<double>{0, 0}).has_value());
    EXPECT_FALSE(WeightedChoice::from_weights(std::vector<double>{1, -1}).has_value());
    EXPECT_FALSE(WeightedChoice::from_weights(std::vector<double>{1, std::nan("")}).has_value());
    EXPECT_FALSE(WeightedChoice::from_weights(std::vector<double>{1, INFINITY}).has_value());
    EXPECT_TRUE(WeightedChoice::from_weights(std::vector<double>{0, 0.5}).has_value());
}

}  // namespace
}  // namespace cl::sim
