// Statistics helpers for filling the summary table (docs/metrics.md "Statistics").
//
// percentile: linear interpolation between closest ranks — Hyndman & Fan (1996) type 7,
// the default of numpy.percentile / pandas.Series.quantile — so a summary value can be
// recomputed from the tables with one numpy call. For sorted values x[0] <= … <= x[n-1]
// and p in [0, 100]:
//     h = (n - 1) · p / 100,   k = floor(h)
//     percentile = x[k] + (h - k) · (x[k+1] - x[k])     (= x[k] when k = n - 1)
// so percentile(·, 0) = min, percentile(·, 100) = max, percentile({a, b}, 50) = (a + b) / 2.
//
// Empty input gives NaN (the summary then shows "n/a"); a NaN among the values or p
// outside [0, 100] is a bug and aborts. Results are exact functions of the inputs'
// values (sums run in index order), hence the same on every IEEE-754 machine.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cl::analysis {

// REQUIRES: 0 <= p <= 100; no NaN in values. Complexity: O(n log n) (sorts a copy).
double percentile(std::span<const double> values, double p);

// As percentile, for values already sorted ascending. Complexity: O(1).
// REQUIRES: std::is_sorted(sorted); 0 <= p <= 100.
double percentile_sorted(std::span<const double> sorted, double p);

// Several percentiles of one sample, sorting once: out[i] = percentile(values, ps[i]).
std::vector<double> percentiles(std::span<const double> values, std::span<const double> ps);

// Arithmetic mean, summed in index order; NaN when empty.
double mean(std::span<const double> values);

// Nanosecond delays to seconds (for latency percentiles in seconds): out[i] = ns[i] · 1e-9.
std::vector<double> nanos_to_seconds(std::span<const std::int64_t> ns);

}  // namespace cl::analysis
