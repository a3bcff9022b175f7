#include "analysis/results/stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace cl::analysis {
namespace {

void require(bool ok, const char* what) {
    if (!ok) [[unlikely]] {
        std::fprintf(stderr, "analysis/results/stats: precondition violated: %s\n", what);
        std::abort();
    }
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> sorted_copy(std::span<const double> values) {
    require(std::none_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
            "no NaN among the values");
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted;
}

}  // namespace

double percentile_sorted(std::span<const double> sorted, double p) {
    require(p >= 0.0 && p <= 100.0, "0 <= p <= 100");
    if (sorted.empty()) return kNaN;
    const double h = static_cast<double>(sorted.size() - 1) * p / 100.0;
    const double floor_h = std::floor(h);
    const auto k = static_cast<std::size_t>(floor_h);
    if (k + 1 >= sorted.size()) return sorted.back();
    return sorted[k] + (h - floor_h) * (sorted[k + 1] - sorted[k]);
}

double percentile(std::span<const double> values, double p) {
    return percentile_sorted(sorted_copy(values), p);
}

std::vector<double> percentiles(std::span<const double> values, std::span<const double> ps) {
    const std::vector<double> sorted = sorted_copy(values);
    std::vector<double> out;
    out.reserve(ps.size());
    for (double p : ps) out.push_back(percentile_sorted(sorted, p));
    return out;
}

double mean(std::span<const double> values) {
    if (values.empty()) return kNaN;
    double sum = 0;
    for (double v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

std::vector<double> nanos_to_seconds(std::span<const std::int64_t> ns) {
    std::vector<double> out;
    out.reserve(ns.size());
    for (std::int64_t v : ns) out.push_back(static_cast<double>(v) * 1e-9);
    return out;
}

}  // namespace cl::analysis
