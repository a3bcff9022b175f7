#include "analysis/sizing/binomial.hpp"

#include <algorithm>
#include <cmath>

namespace cl::analysis::sizing {
namespace {

// E[(B − q)^+] = Σ_{j>q} (j − q) P(B = j), for an integer n.
double excess(std::uint64_t n, double p, std::uint64_t q) {
    if (q >= n || p <= 0) return 0.0;
    const double nd = static_cast<double>(n);
    if (p >= 1) return nd - static_cast<double>(q);
    const double mean = nd * p;
    const double spread = 50.0 * std::sqrt(mean * (1 - p)) + 50.0;
    const auto upper = static_cast<std::uint64_t>(std::min(nd, mean + spread));
    const double log_p = std::log(p), log_q = std::log1p(-p);
    const double log_n = std::lgamma(nd + 1);
    double sum = 0;
    for (std::uint64_t j = q + 1; j <= upper; ++j) {
        const double x = static_cast<double>(j);
        const double log_pmf =
            log_n - std::lgamma(x + 1) - std::lgamma(nd - x + 1) + x * log_p + (nd - x) * log_q;
        sum += (x - static_cast<double>(q)) * std::exp(log_pmf);
    }
    return sum;
}

}  // namespace

double binomial_excess(double n, double p, std::uint64_t q) {
    if (n <= 0) return 0.0;
    const double lo = std::floor(n);
    const double frac = n - lo;
    const auto base = static_cast<std::uint64_t>(lo);
    const double a = excess(base, p, q);
    return frac > 0 ? a + frac * (excess(base + 1, p, q) - a) : a;
}

}  // namespace cl::analysis::sizing
