#include "analysis/stats/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "analysis/results/stats.hpp"
#include "analysis/stats/random.hpp"

namespace cl::analysis {
namespace {

void require(bool ok, const char* what) {
    if (!ok) [[unlikely]] {
        std::fprintf(stderr, "analysis/stats/bootstrap: precondition violated: %s\n", what);
        std::abort();
    }
}

}  // namespace

Interval bootstrap_interval(std::span<const double> values, BootstrapStatistic statistic,
                            const BootstrapOptions& options) {
    require(options.resamples >= 1, "resamples >= 1");
    require(options.confidence > 0.0 && options.confidence < 1.0, "0 < confidence < 1");
    require(statistic.kind == BootstrapStatistic::Kind::kMean || (statistic.p >= 0.0 && statistic.p <= 100.0),
            "0 <= p <= 100");
    require(std::none_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
            "no NaN among the values");
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    if (values.empty()) return {kNaN, kNaN};

    AnalysisStream stream = AnalysisStream::derive(options.seed, options.stream_name);
    const std::size_t n = values.size();
    std::vector<double> resample(n);
    std::vector<double> statistics;
    statistics.reserve(options.resamples);
    for (std::uint32_t b = 0; b < options.resamples; ++b) {
        for (std::size_t k = 0; k < n; ++k) resample[k] = values[stream.below(n)];
        if (statistic.kind == BootstrapStatistic::Kind::kMean) {
            statistics.push_back(mean(resample));
        } else {
            std::sort(resample.begin(), resample.end());
            statistics.push_back(percentile_sorted(resample, statistic.p));
        }
    }
    std::sort(statistics.begin(), statistics.end());
    const double tail = (1.0 - options.confidence) / 2.0 * 100.0;
    return {percentile_sorted(statistics, tail), percentile_sorted(statistics, 100.0 - tail)};
}

}  // namespace cl::analysis
