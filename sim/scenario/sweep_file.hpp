// The sweep file (shared/spec/experiments.md §1; docs/experiments.md "The sweep file"):
// a base scenario, the points to run it at (a grid of `--set` overrides and/or explicit
// override sets), the replications per point, the seed, and the metrics to aggregate.
//
// load_sweep_file reads the file with the scenario's schema reader (schema.hpp: the same
// checker, key tables, getters and suggestions) and then loads the base scenario once per
// point with the point's overrides through load_scenario — so every key and value of a
// point is checked exactly as `--set` checks it. An error in an override is reported at
// the place the sweep file wrote it (SweepFile::locate maps `--set:N:C` back); an error in
// the base scenario itself is reported in that file. Every error is returned, not just the
// first; nothing is run.
//
// Points, in order: the grid's cartesian product (the first grid key varies slowest), then
// the explicit `points` entries. A point's overrides: its grid values in grid-key order (or
// the entry's keys in the order written), then `seed=<seed>` and
// `replications=<replications>` when the sweep sets them. A sweep without grid and points
// has one point, the base scenario as it is.
//
// Thread-safety: reentrant (no shared state); a SweepFile is a value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario.hpp"

namespace cl::sim::scenario {

// Bounds of a sweep (the /sweep columns of analysis/results/sweep_schema.hpp and the run
// id `<sweep>-p<point>-rep<r>`, which must fit 128 bytes).
inline constexpr std::size_t kMaxSweepNameBytes = 64;
inline constexpr std::size_t kMaxSweepKeyBytes = 64;     // point_overrides.key
inline constexpr std::size_t kMaxSweepValueBytes = 128;  // point_overrides.value
inline constexpr std::size_t kMaxSweepPoints = 100'000;
inline constexpr std::uint64_t kMaxSweepRuns = 1'000'000;

// One point: the overrides applied to the base scenario, and the scenario they give.
struct SweepPointSpec {
    std::vector<Override> overrides;   // as given to load_scenario, in order
    std::vector<SourcePos> key_pos;    // where the sweep file wrote each override's key
    std::vector<SourcePos> value_pos;  // ... and its value
    std::vector<bool> value_plain;     // the value was a plain (unquoted) scalar
    std::size_t swept = 0;             // overrides[0, swept) are the point's own (not seed/replications)
    Scenario scenario;                 // the base scenario with the overrides, checked
};

struct SweepFile {
    std::string source_file;    // the sweep file as named
    std::string name;           // `sweep:`
    std::string scenario_file;  // the base scenario's path (resolved), or kDefaultScenarioName
    bool default_scenario = false;
    std::uint64_t seed = 1;  // every point's seed (the scenario's when not written)
    std::uint64_t replications = 1;
    std::vector<std::string> parameters;  // the swept keys: grid keys, then new keys of `points`
    std::vector<SweepPointSpec> points;
    std::vector<std::string> metrics;   // empty: every metric
    SourcePos metrics_pos;              // where `metrics` was written (for later checks)
    std::vector<SourcePos> metric_pos;  // each metric name's position

    std::uint64_t run_count() const { return replications * points.size(); }

    // An error about point `point` as the scenario loader or sim/world reports it (an
    // override's error names `--set`, line = the override's number, column in
    // `path=value`), moved to where the sweep file wrote that override; other errors are
    // returned as they are.
    ScenarioError locate(std::size_t point, ScenarioError e) const;

    // An error at the sweep file's position `pos`.
    ScenarioError error_at_pos(const SourcePos& pos, std::string key, std::string message) const;
};

// REQUIRES: nothing; any text is accepted and judged. `filename` names the file in errors
// and is the base of a relative `scenario:` path.
std::expected<SweepFile, std::vector<ScenarioError>> load_sweep(std::string_view text, std::string filename);

// Reads `path` and calls load_sweep; an unreadable file is one error.
std::expected<SweepFile, std::vector<ScenarioError>> load_sweep_file(const std::string& path);

}  // namespace cl::sim::scenario
