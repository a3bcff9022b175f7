// When a candidate quota is decided (shared/spec/experiments.md §4: "each candidate run
// with replications until its confidence interval decides it"; docs/sizing.md "Search"):
// with the Student-t interval [lo, hi] of the mean served fraction over the replications
// at the chosen confidence (analysis/stats/describe.hpp),
//   pass       lo >= target  (the fraction is shown to reach the target)
//   fail       hi <  target  (shown to fall short)
//   undecided  otherwise, or fewer than 2 values — more replications, and a candidate
//              still undecided at the most replications allowed counts as a fail (not
//              shown to reach the target).
// A tier nobody asked for in any replication (every fraction NaN) passes.
//
// Thread-safety: pure functions.
#pragma once

#include <span>

#include "analysis/stats/describe.hpp"

namespace cl::analysis::sizing {

enum class Verdict { kPass, kFail, kUndecided };

// `fractions`: one per replication, NaN where nobody counted (left out).
// REQUIRES: 0 < confidence < 1.
Verdict decide(std::span<const double> fractions, double target, double confidence,
               Description* description = nullptr);

}  // namespace cl::analysis::sizing
