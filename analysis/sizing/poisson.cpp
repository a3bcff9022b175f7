#include "analysis/sizing/poisson.hpp"

#include <algorithm>
#include <cmath>

namespace cl::analysis::sizing {
namespace {

// P(N = j) for N ~ Poisson(m), m > 0.
double pmf(double m, std::uint64_t j) {
    const double x = static_cast<double>(j);
    return std::exp(-m + x * std::log(m) - std::lgamma(x + 1.0));
}

// Σ_{j<k} w(j) P(N = j), summed downwards from j = min(k, m + 50√m + 50) − 1 (above that
// P(N = j) < 10^-300) and stopping below the mode once the terms no longer change the sum.
template <class W>
double lower_sum(double m, std::uint64_t k, W w) {
    double sum = 0;
    const double upper = m + 50.0 * std::sqrt(m) + 50.0;
    std::uint64_t j = k;
    if (static_cast<double>(j) > upper) j = static_cast<std::uint64_t>(upper);
    while (j-- > 0) {
        const double term = w(j) * pmf(m, j);
        sum += term;
        if (static_cast<double>(j) < m && term < sum * 1e-17) break;
    }
    return sum;
}

// Σ_{j>=k} w(j) P(N = j), summed upwards from k (k >= m: the terms decrease) to
// m + 50√m + 50, above which P(N = j) < 10^-300.
template <class W>
double upper_sum(double m, std::uint64_t k, W w) {
    double sum = 0;
    const double upper = m + 50.0 * std::sqrt(m) + 50.0;
    for (std::uint64_t j = k; static_cast<double>(j) <= upper; ++j) {
        const double term = w(j) * pmf(m, j);
        sum += term;
        if (sum > 0 && term < sum * 1e-17) break;
    }
    return sum;
}

}  // namespace

double poisson_tail(double m, std::uint64_t k) {
    if (k == 0) return 1.0;
    if (m <= 0) return 0.0;
    // Above the mean, the tail itself (no cancellation); below, its complement.
    if (static_cast<double>(k) >= m) return std::min(1.0, upper_sum(m, k, [](std::uint64_t) { return 1.0; }));
    return std::clamp(1.0 - lower_sum(m, k, [](std::uint64_t) { return 1.0; }), 0.0, 1.0);
}

double poisson_excess(double m, std::uint64_t k) {
    if (m <= 0) return 0.0;
    const double kd = static_cast<double>(k);
    if (kd >= m) return upper_sum(m, k, [kd](std::uint64_t j) { return static_cast<double>(j) - kd; });
    const double below = lower_sum(m, k, [kd](std::uint64_t j) { return kd - static_cast<double>(j); });
    return std::max(0.0, m - kd + below);
}

}  // namespace cl::analysis::sizing
