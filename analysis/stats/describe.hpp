// Descriptive statistics of one metric over replications (docs/experiments.md
// "Statistics"): n, mean, sample standard deviation, Student-t confidence interval of the
// mean, min and max.
//
// Definitions, for values x_1 … x_n:
//     mean = (Σ x_i) / n                                   (summed in index order)
//     sd   = sqrt( Σ (x_i − mean)² / (n − 1) )             (two-pass; NaN when n < 2)
//     CI   = mean ∓ t_{(1+c)/2, n−1} · sd / sqrt(n)        (NaN when n < 2)
// where t_{q, ν} is the q-quantile of Student's t distribution with ν degrees of freedom
// (Boost.Math, boost::math::students_t) and c the confidence (default 0.95). The sums run
// in index order with plain doubles (no vectorised reduction), so the numbers are exact
// functions of the values and their order: the same on every IEEE-754 machine, whichever
// worker produced which run. An empty sample gives n = 0 and NaN everywhere.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace cl::analysis {

struct Description {
    std::uint64_t n = 0;
    double mean = 0;
    double sd = 0;
    double ci_low = 0;
    double ci_high = 0;
    double min = 0;
    double max = 0;
};

// REQUIRES: no NaN among the values; 0 < confidence < 1.
Description describe(std::span<const double> values, double confidence = 0.95);

// The q-quantile of Student's t distribution with `dof` degrees of freedom (Boost.Math).
// REQUIRES: 0 < q < 1, dof > 0.
double student_t_quantile(double q, double dof);

}  // namespace cl::analysis
