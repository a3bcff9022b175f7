// Aggregation of runs into the `/sweep` aggregate table (sweep_schema.hpp): for each point
// and each summary metric, the describe() of the metric's values over the point's runs
// (analysis/stats/describe.hpp) and, for quantile metrics, a seeded bootstrap interval of
// the mean (analysis/stats/bootstrap.hpp). docs/experiments.md "Statistics".
//
// Rules:
//   - Metrics: every summary name of the runs, in order of first appearance (points in
//     order, runs in the point's order, entries in the summary's order), or the names in
//     AggregateOptions::metrics in that order (an unknown name is an error). The unit is
//     the first run's.
//   - NaN values (a metric with nothing to measure in that run) are left out: n counts
//     the values used. A metric a run lacks is left out for that run likewise.
//   - Quantile metric: a name with a component `p` + digits between underscores or at the
//     end (request_latency_p99_s, propagation_p50_s). Its bootstrap draws from the stream
//     AnalysisStream::derive(seed, "bootstrap/<point>/<metric>"), so each (point, metric)
//     has its own stream and the numbers do not depend on which other metrics or points
//     are aggregated, nor on the order in which runs finished.
//
// The result is a pure function of (the runs' summary values in the point's run order,
// options): identical whatever the parallelism that produced the runs.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/results/schema.hpp"
#include "analysis/results/sweep_schema.hpp"

namespace cl::analysis {

struct AggregateOptions {
    double confidence = 0.95;
    std::uint64_t seed = 1;                 // the bootstrap's seed (a sweep uses its own seed)
    std::uint32_t resamples = 10'000;       // bootstrap resamples (analysis/stats/bootstrap.hpp)
    std::vector<std::string> metrics = {};  // empty: every metric
};

// True for names with a `_pNN` component (see above).
bool is_quantile_metric(std::string_view name);

// The aggregate rows of `points` over `runs` (run ids must name runs of `runs`).
std::expected<std::vector<AggregateRow>, std::string> aggregate_points(std::span<const RunResults> runs,
                                                                       std::span<const SweepPoint> points,
                                                                       const AggregateOptions& options);

// The sweep tables of a plain run file: one point holding every run, in file order, with
// the overrides every run shares (in the first run's order); no swept parameters; name =
// the first run's scenario name; seed = the first run's seed; aggregates per the options
// (options.seed is replaced by that seed).
// REQUIRES: !runs.empty().
std::expected<SweepTables, std::string> single_point_sweep(std::span<const RunResults> runs,
                                                           AggregateOptions options);

}  // namespace cl::analysis
