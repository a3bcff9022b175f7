// The sensitivity table (docs/experiments.md "Sensitivity"): for each aggregated metric, a
// least-squares fit (analysis/stats/regression.hpp) of the metric's value in every run
// against the numeric swept parameters of the run's point,
//     metric ≈ intercept + Σ_j coefficient_j · parameter_j,
// with R². Each run is one observation (replications included), so the fit sees the
// spread between replications as well as between points.
//
// Numeric parameters: a swept key (SweepTables::parameters) whose value at every point
// parses with parse_parameter_number; others (fork-choice names, …) are left out.
// parse_parameter_number accepts a plain decimal (`250`, `1e3`, `-0.5`), a percentage
// (`1%` → 0.01) and a duration (`500ms`, `6h`, `1h30m`, units ns us ms s m min h d) in
// seconds; the unit of a coefficient is the metric's unit per parameter unit (per second
// for durations).
//
// A metric whose fit fails (too few observations, parameters that do not vary
// independently, no finite values) gets a row with `error` set instead of numbers.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/results/schema.hpp"
#include "analysis/results/sweep_schema.hpp"

namespace cl::analysis {

std::optional<double> parse_parameter_number(std::string_view text);

struct SensitivityRow {
    std::string metric;
    std::string unit;
    double intercept = 0;
    std::vector<double> coefficients;  // one per SensitivityTable::parameters
    double r_squared = 0;
    std::size_t n = 0;
    std::string error;  // non-empty: the fit failed, numbers are meaningless
};

struct SensitivityTable {
    std::vector<std::string> parameters;  // the numeric swept parameters, in sweep order
    std::vector<SensitivityRow> rows;     // one per metric of sweep.aggregates, in order
};

// Empty (no parameters, no rows) when the sweep has no numeric parameter.
SensitivityTable sensitivity(std::span<const RunResults> runs, const SweepTables& sweep);

}  // namespace cl::analysis
