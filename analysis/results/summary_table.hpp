// The end-of-run summary table for stdout (issue 5 "Results"): the run's provenance line
// and digest, every Summary entry in its stored order, then the WallClock measurements in
// a fixed order (wall_seconds, events, events_per_s, sim_seconds_per_wall_second,
// peak_rss_bytes). Names are left-aligned, values right-aligned, units after them.
//
// Values: integral values below 2^53 print without a fraction ("1440"); others with four
// significant digits below 1000 ("0.01235", "12.35") and one decimal above ("2097.1");
// NaN prints "n/a". The text depends only on the RunResults (and is locale-independent).
//
// Thread-safety: pure function.
#pragma once

#include <string>

#include "analysis/results/schema.hpp"

namespace cl::analysis {

// Formats one value as the table does (exposed for the report command and tests).
std::string format_metric_value(double value);

// The summary table, lines ending in '\n'. Computes results_digest(run) (linear in rows).
std::string format_summary(const RunResults& run);

}  // namespace cl::analysis
