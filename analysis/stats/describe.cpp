#include "analysis/stats/describe.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace cl::analysis {
namespace {

void require(bool ok, const char* what) {
    if (!ok) [[unlikely]] {
        std::fprintf(stderr, "analysis/stats/describe: precondition violated: %s\n", what);
        std::abort();
    }
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double student_t_quantile(double q, double dof) {
    require(q > 0.0 && q < 1.0, "0 < q < 1");
    require(dof > 0.0, "dof > 0");
    const boost::math::students_t distribution(dof);
    return boost::math::quantile(distribution, q);
}

Description describe(std::span<const double> values, double confidence) {
    require(confidence > 0.0 && confidence < 1.0, "0 < confidence < 1");
    require(std::none_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
            "no NaN among the values");
    Description d;
    d.n = values.size();
    if (values.empty()) return {0, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    double sum = 0;
    for (double v : values) sum += v;
    d.mean = sum / static_cast<double>(d.n);
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    d.min = *lo;
    d.max = *hi;
    if (d.n < 2) {
        d.sd = d.ci_low = d.ci_high = kNaN;
        return d;
    }
    double squares = 0;
    for (double v : values) squares += (v - d.mean) * (v - d.mean);
    d.sd = std::sqrt(squares / static_cast<double>(d.n - 1));
    const double t = student_t_quantile((1.0 + confidence) / 2.0, static_cast<double>(d.n - 1));
    const double half = t * d.sd / std::sqrt(static_cast<double>(d.n));
    d.ci_low = d.mean - half;
    d.ci_high = d.mean + half;
    return d;
}

}  // namespace cl::analysis
