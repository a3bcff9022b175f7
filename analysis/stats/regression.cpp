#include "analysis/stats/regression.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>

namespace cl::analysis {

std::expected<LinearFit, std::string> fit_least_squares(std::span<const std::vector<double>> columns,
                                                        std::span<const double> y) {
    const std::size_t n = y.size();
    const std::size_t k = columns.size();
    if (n < k + 1) {
        return std::unexpected("least squares needs at least " + std::to_string(k + 1) +
                               " observations for " + std::to_string(k) + " parameter(s), got " +
                               std::to_string(n));
    }
    for (std::size_t j = 0; j < k; ++j) {
        if (columns[j].size() != n) {
            return std::unexpected("parameter " + std::to_string(j) + " has " +
                                   std::to_string(columns[j].size()) + " values for " + std::to_string(n) +
                                   " observations");
        }
    }
    const auto rows = static_cast<Eigen::Index>(n);
    const auto cols = static_cast<Eigen::Index>(k + 1);
    Eigen::MatrixXd design(rows, cols);
    Eigen::VectorXd target(rows);
    for (std::size_t i = 0; i < n; ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        design(r, 0) = 1.0;
        for (std::size_t j = 0; j < k; ++j) design(r, static_cast<Eigen::Index>(j + 1)) = columns[j][i];
        target(r) = y[i];
    }
    if (!design.allFinite() || !target.allFinite()) return std::unexpected("a value is not finite");

    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(design);
    if (qr.rank() < cols) {
        return std::unexpected(
            "the parameters do not vary independently (a constant parameter, or two "
            "that move together): rank " +
            std::to_string(qr.rank()) + " < " + std::to_string(cols));
    }
    const Eigen::VectorXd beta = qr.solve(target);

    LinearFit fit;
    fit.n = n;
    fit.intercept = beta(0);
    for (std::size_t j = 0; j < k; ++j) fit.coefficients.push_back(beta(static_cast<Eigen::Index>(j + 1)));
    double y_sum = 0;
    for (double v : y) y_sum += v;
    const double y_mean = y_sum / static_cast<double>(n);
    const Eigen::VectorXd residual = target - design * beta;
    double ss_res = 0;
    double ss_tot = 0;
    for (std::size_t i = 0; i < n; ++i) {
        ss_res += residual(static_cast<Eigen::Index>(i)) * residual(static_cast<Eigen::Index>(i));
        ss_tot += (y[i] - y_mean) * (y[i] - y_mean);
    }
    fit.r_squared = ss_tot == 0.0 ? std::numeric_limits<double>::quiet_NaN() : 1.0 - ss_res / ss_tot;
    return fit;
}

}  // namespace cl::analysis
