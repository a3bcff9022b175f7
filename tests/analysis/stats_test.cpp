// analysis/stats: Student-t intervals against hand computation, the seeded bootstrap
// (pinned values, determinism, coverage), and least squares on synthetic data.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "analysis/stats/bootstrap.hpp"
#include "analysis/stats/describe.hpp"
#include "analysis/stats/random.hpp"
#include "analysis/stats/regression.hpp"

namespace cl::analysis {
namespace {

// Standard normal draws by Box–Muller from an analysis stream (test data only).
std::vector<double> normal_sample(AnalysisStream& stream, std::size_t n, double mu, double sigma) {
    std::vector<double> out;
    while (out.size() < n) {
        const double u1 = 1.0 - stream.uniform();  // (0, 1]
        const double u2 = stream.uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        out.push_back(mu + sigma * r * std::cos(2.0 * std::numbers::pi * u2));
        if (out.size() < n) out.push_back(mu + sigma * r * std::sin(2.0 * std::numbers::pi * u2));
    }
    return out;
}

TEST(StudentT, QuantilesMatchTables) {
    // Two-sided 95 % critical values from any t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, 19), 2.093, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.995, 10), 3.169, 5e-4);
    EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.95996, 1e-4);
}

TEST(Describe, TIntervalComputedByHand) {
    // x = 1..5: mean 3, s² = (4+1+0+1+4)/4 = 2.5, s = 1.58113883,
    // half width = t_{0.975,4} · s/√5 = 2.77644511 · 0.70710678 = 1.96324316.
    const std::vector<double> x = {4, 1, 3, 5, 2};
    const Description d = describe(x);
    EXPECT_EQ(d.n, 5u);
    EXPECT_DOUBLE_EQ(d.mean, 3.0);
    EXPECT_NEAR(d.sd, 1.5811388300841898, 1e-12);
    EXPECT_NEAR(d.ci_low, 3.0 - 1.9632432, 1e-6);
    EXPECT_NEAR(d.ci_high, 3.0 + 1.9632432, 1e-6);
    EXPECT_EQ(d.min, 1.0);
    EXPECT_EQ(d.max, 5.0);
}

TEST(Describe, NinetyNinePercentIsWider) {
    const std::vector<double> x = {10.5, 11.25, 9.75, 10.0};
    const Description d95 = describe(x, 0.95);
    const Description d99 = describe(x, 0.99);
    // mean 10.375, s = sqrt(1.3125 / 3) = 0.6614378; t_{0.995,3} = 5.840909; √4 = 2.
    EXPECT_NEAR(d99.ci_high - d99.mean, 5.840909 * 0.6614378 / 2.0, 1e-5);
    EXPECT_GT(d99.ci_high, d95.ci_high);
}

TEST(Describe, SmallSamples) {
    const Description empty = describe(std::vector<double>{});
    EXPECT_EQ(empty.n, 0u);
    EXPECT_TRUE(std::isnan(empty.mean));
    const Description one = describe(std::vector<double>{7.5});
    EXPECT_EQ(one.n, 1u);
    EXPECT_EQ(one.mean, 7.5);
    EXPECT_EQ(one.min, 7.5);
    EXPECT_TRUE(std::isnan(one.sd));
    EXPECT_TRUE(std::isnan(one.ci_low));
    const Description same = describe(std::vector<double>{2, 2, 2});
    EXPECT_EQ(same.sd, 0.0);
    EXPECT_EQ(same.ci_low, 2.0);
    EXPECT_EQ(same.ci_high, 2.0);
}

TEST(AnalysisStream, DerivationIsPinned) {
    // Pins keccak256("cloudledger/analysis/rng/v1" || u64be(1) || "bootstrap") → xoshiro256**.
    AnalysisStream a = AnalysisStream::derive(1, "bootstrap");
    AnalysisStream b = AnalysisStream::derive(1, "bootstrap");
    AnalysisStream c = AnalysisStream::derive(2, "bootstrap");
    const std::uint64_t first = a.next_u64();
    EXPECT_EQ(first, b.next_u64());
    EXPECT_NE(first, c.next_u64());
    EXPECT_EQ(first, 13710888700774031457ULL);
}

TEST(AnalysisStream, BelowStaysInRangeAndCoversIt) {
    AnalysisStream s = AnalysisStream::derive(7, "below");
    std::vector<int> seen(5, 0);
    for (int i = 0; i < 5000; ++i) {
        const std::uint64_t v = s.below(5);
        ASSERT_LT(v, 5u);
        ++seen[v];
    }
    for (int count : seen) EXPECT_NEAR(count, 1000, 150);
}

TEST(Bootstrap, FixedSeedGivesPinnedInterval) {
    const std::vector<double> x = {0.81, 0.95, 1.02, 1.10, 1.33, 0.88, 2.40, 0.97};
    const BootstrapOptions options{
        .seed = 1, .stream_name = "bootstrap/request_latency_p99_s", .resamples = 10'000, .confidence = 0.95};
    const Interval i = bootstrap_interval(x, BootstrapStatistic::mean(), options);
    const Interval again = bootstrap_interval(x, BootstrapStatistic::mean(), options);
    EXPECT_EQ(i.low, again.low);
    EXPECT_EQ(i.high, again.high);
    EXPECT_DOUBLE_EQ(i.low, 0.93375);
    EXPECT_DOUBLE_EQ(i.high, 1.5525);
    // The sample mean (1.1825) lies inside; the skew (one 2.40) stretches the upper side.
    EXPECT_LT(i.low, 1.1825);
    EXPECT_GT(i.high, 1.1825);
    EXPECT_GT(i.high - 1.1825, 1.1825 - i.low);

    BootstrapOptions other = options;
    other.stream_name = "bootstrap/other";
    const Interval j = bootstrap_interval(x, BootstrapStatistic::mean(), other);
    EXPECT_NE(i.low, j.low);
}

TEST(Bootstrap, PercentileStatistic) {
    const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const Interval i = bootstrap_interval(x, BootstrapStatistic::percentile(50), {});
    EXPECT_GE(i.low, 1.0);
    EXPECT_LE(i.high, 10.0);
    EXPECT_LT(i.low, 5.5);
    EXPECT_GT(i.high, 5.5);
    const Interval constant =
        bootstrap_interval(std::vector<double>{4, 4, 4}, BootstrapStatistic::mean(), {});
    EXPECT_EQ(constant.low, 4.0);
    EXPECT_EQ(constant.high, 4.0);
    const Interval empty = bootstrap_interval(std::vector<double>{}, BootstrapStatistic::mean(), {});
    EXPECT_TRUE(std::isnan(empty.low));
}

// Coverage-style sanity check: over 200 independent normal samples of 30 with known mean,
// the 95 % bootstrap interval of the mean covers it in roughly 95 % of cases (the
// percentile bootstrap undercovers slightly at n = 30; a binomial(200, 0.94) count lies in
// [176, 199] with probability > 0.999).
TEST(Bootstrap, CoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
    AnalysisStream data = AnalysisStream::derive(42, "coverage/data");
    int covered = 0;
    constexpr int kTrials = 200;
    for (int t = 0; t < kTrials; ++t) {
        const std::vector<double> x = normal_sample(data, 30, 5.0, 2.0);
        const BootstrapOptions options{.seed = 42,
                                       .stream_name = "coverage/" + std::to_string(t),
                                       .resamples = 2000,
                                       .confidence = 0.95};
        const Interval i = bootstrap_interval(x, BootstrapStatistic::mean(), options);
        if (i.low <= 5.0 && 5.0 <= i.high) ++covered;
    }
    EXPECT_GE(covered, 176);
    EXPECT_LE(covered, 199);
}

TEST(LeastSquares, RecoversExactCoefficients) {
    // y = 2 + 3 x1 − 0.5 x2 on a 3 × 4 grid.
    std::vector<double> x1, x2, y;
    for (double a : {1.0, 2.0, 4.0}) {
        for (double b : {10.0, 20.0, 30.0, 50.0}) {
            x1.push_back(a);
            x2.push_back(b);
            y.push_back(2.0 + 3.0 * a - 0.5 * b);
        }
    }
    const std::vector<std::vector<double>> columns = {x1, x2};
    const auto fit = fit_least_squares(columns, y);
    ASSERT_TRUE(fit.has_value()) << fit.error();
    EXPECT_NEAR(fit->intercept, 2.0, 1e-10);
    ASSERT_EQ(fit->coefficients.size(), 2u);
    EXPECT_NEAR(fit->coefficients[0], 3.0, 1e-10);
    EXPECT_NEAR(fit->coefficients[1], -0.5, 1e-10);
    EXPECT_NEAR(fit->r_squared, 1.0, 1e-12);
    EXPECT_EQ(fit->n, 12u);
}

TEST(LeastSquares, RecoversCoefficientsUnderNoise) {
    AnalysisStream s = AnalysisStream::derive(3, "regression/noise");
    const std::vector<double> noise = normal_sample(s, 400, 0.0, 0.1);
    std::vector<double> x, y;
    for (std::size_t i = 0; i < 400; ++i) {
        x.push_back(static_cast<double>(i % 20));
        y.push_back(1.5 - 0.25 * x.back() + noise[i]);
    }
    const std::vector<std::vector<double>> columns = {x};
    const auto fit = fit_least_squares(columns, y);
    ASSERT_TRUE(fit.has_value()) << fit.error();
    // Standard error of the slope: 0.1 / sqrt(Σ(x−x̄)²) = 0.1 / sqrt(400 · 33.25) ≈ 0.00087.
    EXPECT_NEAR(fit->coefficients[0], -0.25, 0.004);
    EXPECT_NEAR(fit->intercept, 1.5, 0.05);
    // R² = var(signal) / (var(signal) + σ²) = 0.0625·33.25 / (2.078 + 0.01) ≈ 0.9952.
    EXPECT_NEAR(fit->r_squared, 0.9952, 0.002);
}

TEST(LeastSquares, ReportsBadDesigns) {
    const std::vector<double> y = {1, 2, 3};
    const std::vector<std::vector<double>> constant = {{5, 5, 5}};
    EXPECT_FALSE(fit_least_squares(constant, y).has_value());
    const std::vector<std::vector<double>> collinear = {{1, 2, 3}, {2, 4, 6}};
    const auto c = fit_least_squares(collinear, y);
    ASSERT_FALSE(c.has_value());
    EXPECT_NE(c.error().find("independently"), std::string::npos);
    const std::vector<std::vector<double>> too_many = {{1, 2, 3}, {0, 1, 0}, {3, 1, 2}};
    EXPECT_FALSE(fit_least_squares(too_many, y).has_value());
    const std::vector<std::vector<double>> short_column = {{1, 2}};
    EXPECT_FALSE(fit_least_squares(short_column, y).has_value());
    const std::vector<std::vector<double>> infinite = {{1, INFINITY, 3}};
    EXPECT_FALSE(fit_least_squares(infinite, y).has_value());
    const std::vector<std::vector<double>> none = {};
    const auto mean_only = fit_least_squares(none, y);
    ASSERT_TRUE(mean_only.has_value());
    EXPECT_DOUBLE_EQ(mean_only->intercept, 2.0);
}

}  // namespace
}  // namespace cl::analysis
