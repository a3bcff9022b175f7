// Seeded percentile-bootstrap confidence intervals (Efron & Tibshirani 1993, ch. 13), for
// metrics whose sampling distribution is far from normal — quantile metrics such as
// request_latency_p99_s, whose replication values are skewed, so that the Student-t
// interval of describe.hpp can mislead with few replications (docs/experiments.md).
//
// Method: B resamples (default kDefaultResamples = 10 000), each of n values drawn with
// replacement from the n values (index i_k = stream.below(n), in order); the statistic of
// each resample; the interval is the (1−c)/2 and (1+c)/2 percentiles (type 7, as
// analysis/results/stats.hpp) of the B statistics. The stream is
// AnalysisStream::derive(seed, stream_name) (analysis/stats/random.hpp): the interval is a
// pure function of (values in order, statistic, seed, stream name, B, c). With B = 10 000
// the Monte-Carlo error of a 95 % end point is about ±0.5 % of the resampled statistic's
// spread; an empty sample gives NaN.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace cl::analysis {

inline constexpr std::uint32_t kDefaultResamples = 10'000;

// What is computed of each resample: the mean, or the p-th percentile (type 7).
struct BootstrapStatistic {
    enum class Kind { kMean, kPercentile };
    Kind kind = Kind::kMean;
    double p = 50;  // for kPercentile, in [0, 100]

    static BootstrapStatistic mean() { return {Kind::kMean, 0}; }
    static BootstrapStatistic percentile(double p) { return {Kind::kPercentile, p}; }
};

struct BootstrapOptions {
    std::uint64_t seed = 1;
    std::string stream_name = "bootstrap";
    std::uint32_t resamples = kDefaultResamples;
    double confidence = 0.95;
};

struct Interval {
    double low = 0;
    double high = 0;
};

// REQUIRES: no NaN among the values; resamples >= 1; 0 < confidence < 1.
// Complexity: O(B · n) draws, plus O(B log B) for the percentiles (O(B · n log n) for a
// percentile statistic).
Interval bootstrap_interval(std::span<const double> values, BootstrapStatistic statistic,
                            const BootstrapOptions& options);

}  // namespace cl::analysis
