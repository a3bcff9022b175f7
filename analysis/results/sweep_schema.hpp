// The `/sweep` group of a results file (docs/experiments.md "The sweep file";
// shared/spec/experiments.md §1): which runs belong to which point of a sweep, and the
// aggregate of each summary metric over a point's replications. It sits beside the
// `/runs/<id>/` groups, which are unchanged, so a reader of run files reads a sweep file's
// runs as before.
//
// Layout (results_file.hpp writes and reads it):
//   /sweep                  attrs: sweep_schema_version (u32, kSweepSchemaVersion), name,
//                                  seed (u64), confidence (f64), bootstrap_resamples (u32),
//                                  point_count (u32), parameters (UTF-8 string array: the
//                                  swept keys, in the sweep file's order)
//     point_overrides       compound table, one row per override of a point, in point
//                           order then override order: point (u32), key (64-byte string),
//                           value (128-byte string) — `--set key=value` as the point applies it
//     point_runs            compound table, one row per run of a point: point (u32),
//                           run_id (128-byte string; names /runs/<run_id>)
//     aggregates            compound table, one row per (point, metric), in point order then
//                           metric order: point (u32), metric (64), unit (16), n (u64), mean,
//                           sd, ci_low, ci_high, min, max, boot_low, boot_high (f64)
//
// Invariants the writer checks (validate_sweep): points are numbered 0 … point_count − 1
// (a point's index is its position); every run id of a point names a run of the file,
// and no run belongs to two points; keys, values and ids are non-empty, fit their column
// and hold no NUL; an aggregate's point exists and (point, metric) pairs are unique.
//
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "analysis/results/schema.hpp"

namespace cl::analysis {

inline constexpr std::uint32_t kSweepSchemaVersion = 1;

// Table `aggregates`: one summary metric over the replications of one point
// (analysis/stats/describe.hpp; NaN values of the metric are left out and not counted).
// boot_low/boot_high: the seeded bootstrap interval of the mean for quantile metrics
// (names with a `_pNN` component, e.g. request_latency_p99_s); NaN for other metrics.
struct AggregateRow {
    std::uint32_t point = 0;
    FixedString<64> metric;
    FixedString<16> unit;
    std::uint64_t n = 0;
    double mean = 0;
    double sd = 0;
    double ci_low = 0;
    double ci_high = 0;
    double min = 0;
    double max = 0;
    double boot_low = std::numeric_limits<double>::quiet_NaN();
    double boot_high = std::numeric_limits<double>::quiet_NaN();

    friend bool operator==(const AggregateRow&, const AggregateRow&) = default;
};

// Table `point_overrides`, one row per override.
struct PointOverrideRow {
    std::uint32_t point = 0;
    FixedString<64> key;
    FixedString<128> value;

    friend bool operator==(const PointOverrideRow&, const PointOverrideRow&) = default;
};

// Table `point_runs`, one row per run.
struct PointRunRow {
    std::uint32_t point = 0;
    FixedString<128> run_id;

    friend bool operator==(const PointRunRow&, const PointRunRow&) = default;
};

// One point of a sweep: its overrides and the ids of its runs (its replications).
struct SweepPoint {
    std::vector<std::pair<std::string, std::string>> overrides;  // (key, value), in order
    std::vector<std::string> run_ids;

    friend bool operator==(const SweepPoint&, const SweepPoint&) = default;
};

struct SweepTables {
    std::string name = {};
    std::uint64_t seed = 0;                      // seeds the bootstrap streams
    double confidence = 0.95;                    // of every interval in `aggregates`
    std::uint32_t bootstrap_resamples = 10'000;  // of the bootstrap intervals
    std::vector<std::string> parameters = {};    // the swept keys, in order
    std::vector<SweepPoint> points = {};         // points[i] is point i
    std::vector<AggregateRow> aggregates = {};

    friend bool operator==(const SweepTables&, const SweepTables&) = default;
};

}  // namespace cl::analysis
