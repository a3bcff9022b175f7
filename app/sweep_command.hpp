// `cloudledger sweep SWEEP.yaml [-j N] [-o FILE.h5] [--quiet] [--check]` (shared/spec/experiments.md
// §1–2; docs/experiments.md "Sweeps"): every run of every point of a sweep file, on N
// worker threads (and on the ranks of an MPI job), resumable, into one results file with
// /runs and /sweep.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace cl::app {

// Exit codes: 0 success, 1 runtime failure (the journal keeps the finished runs), 2 bad
// usage or bad input (nothing run, nothing written).
int run_sweep(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace cl::app
