// `cloudledger run [SCENARIO.yaml] [-o results.h5] [--seed N] [--set key=value]... [--quiet]`
// (DESIGN.md §8): runs every replication of a scenario (the embedded default scenario
// when none is given), writes the HDF5 results file and prints a summary table per run.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace cl::app {

// `-h`/`--help` prints the usage on `out` (exit 0). The results path is checked before
// the simulation; SIGINT/SIGTERM/SIGHUP handlers are installed for the run so that a
// killed run leaves no temporary results file (analysis/results/results_file.hpp).
// Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input (nothing written).
int run_scenario(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace cl::app
