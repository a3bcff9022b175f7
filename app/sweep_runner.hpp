// Runs the runs of a sweep (docs/experiments.md "How a sweep runs"): each run is one
// replication of one point's scenario, run whole by app::run_replication on one of N
// worker threads, and written at once to its own file in the sweep's journal directory
// (`OUTPUT.partial/<run id>.h5`, atomically, by analysis::write_results) — so a worker
// holds one run in memory at a time, and a sweep started again finds what is done.
//
// Determinism: a run depends only on (its point's scenario, its replication): the point's
// scenario carries the sweep's seed, and the world draws every random stream from
// (seed, replication) (DESIGN.md §6). Which worker or rank runs it, and when, changes
// nothing but its wall-clock figures (not in the digest).
//
// Thread-safety: run_sweep_runs shares only the const SweepFile (its Scenarios, read
// only) between its workers; see app/replication.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/results/schema.hpp"
#include "sim/scenario/sweep_file.hpp"

namespace cl::app {

// One run of a sweep: point `point`, replication `replication`.
struct SweepRun {
    std::size_t point = 0;
    std::uint64_t replication = 0;
};

// Every run of the sweep in file order: point by point, replications in order.
std::vector<SweepRun> sweep_runs(const sim::scenario::SweepFile& sweep);

// `<sweep>-p<point>-rep<replication>`: the run's group /runs/<id>.
std::string sweep_run_id(const sim::scenario::SweepFile& sweep, const SweepRun& run);

// The journal directory of a sweep writing `output`: `output` + ".partial".
std::string journal_dir(const std::string& output);
std::string journal_path(const std::string& dir, const std::string& run_id);

// Reads the journal file of `run` if it is there and is that run: one run, digest intact,
// its id, scenario text, overrides, seed, replication, program version and build type
// those of this sweep and this program. Anything else (absent, torn, another sweep's,
// another program's) is nullopt: the run is to be run again.
std::optional<analysis::RunResults> read_journal_run(const sim::scenario::SweepFile& sweep,
                                                     const std::string& dir, const SweepRun& run);

// Removes temporary names a killed writer may have left in the journal (`*.h5.tmp-*`).
void remove_journal_leftovers(const std::string& dir);

// Called after each run this process finished (from the worker thread that ran it,
// serialised by a lock): runs finished so far by this process.
using SweepProgress = std::function<void(std::size_t done)>;

// Creates the journal directory `dir` (when missing) and removes a killed writer's
// temporary names from it. The error says why it cannot be used.
std::expected<void, std::string> open_journal(const std::string& dir);

// Removes the journal files of `run_ids`, a killed writer's leftovers, and `dir` itself
// when that leaves it empty (never another's files).
void remove_journal(const std::string& dir, std::span<const std::string> run_ids);

// Runs `runs` on `jobs` threads (taken in order from a shared counter), writing each to
// the journal; stops starting new runs after the first failure. The error names the run.
std::expected<void, std::string> run_sweep_runs(const sim::scenario::SweepFile& sweep,
                                                const std::vector<SweepRun>& runs, const std::string& dir,
                                                unsigned jobs, const SweepProgress& progress = {});

// The same for runs of several sweeps at once (`cloudledger size-pool` runs the candidates
// of a round together): each task names its sweep, which must outlive the call.
struct SweepTask {
    const sim::scenario::SweepFile* sweep = nullptr;
    SweepRun run;
};
std::expected<void, std::string> run_sweep_tasks(std::span<const SweepTask> tasks, const std::string& dir,
                                                 unsigned jobs, const SweepProgress& progress = {});

}  // namespace cl::app
