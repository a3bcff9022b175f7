// Harm, measured the same way for every run, attack or not (shared/spec/adversaries.md §1;
// docs/metrics.md "Harm"): allocations a cloud made that the final chain does not back,
// codes allocated by two clouds, confirmations that were later erased, the deepest reorg
// of each node, and the NDSS "decided" rule beside k-confirmation.
#pragma once

#include "protocol/state/ledger.hpp"
#include "sim/world/config.hpp"
#include "sim/world/results.hpp"

namespace cl::sim::world {

// REQUIRES: every workload's finish() ran (redemptions, requests … read on the reference
// chain), blocks marked canonical; `final_state` the reference chain's end state.
// Cost: O(records + canonical blocks · N/2).
Harm measure_harm(const WorldConfig& config, const state::LedgerState& final_state,
                  const WorldResults& results);

}  // namespace cl::sim::world
