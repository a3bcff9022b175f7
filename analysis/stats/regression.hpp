// The sensitivity fit (docs/experiments.md "Sensitivity"): ordinary least squares of one
// metric y against k numeric parameters x_1 … x_k,
//     y ≈ b_0 + b_1 x_1 + … + b_k x_k,
// solved with Eigen's column-pivoting Householder QR (numerically stable; no normal
// equations), with
//     R² = 1 − SS_res / SS_tot,  SS_res = Σ (y_i − ŷ_i)²,  SS_tot = Σ (y_i − ȳ)²
// (NaN when SS_tot = 0: a constant metric has nothing to explain).
//
// Errors (a value, not an abort: the inputs come from a sweep file): fewer observations
// than coefficients (n < k + 1), a column whose length differs from y's, a non-finite
// value, or a rank-deficient design (a constant parameter, or two that move together) —
// the message says which.
//
// Thread-safety: pure function. Eigen stays in regression.cpp.
#pragma once

#include <expected>
#include <span>
#include <string>
#include <vector>

namespace cl::analysis {

struct LinearFit {
    double intercept = 0;
    std::vector<double> coefficients;  // b_1 … b_k, in the order of the columns
    double r_squared = 0;
    std::size_t n = 0;
};

// `columns[j][i]` is parameter j of observation i; `y[i]` the metric of observation i.
std::expected<LinearFit, std::string> fit_least_squares(std::span<const std::vector<double>> columns,
                                                        std::span<const double> y);

}  // namespace cl::analysis
