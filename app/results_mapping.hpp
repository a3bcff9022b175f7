// Maps what the simulated world recorded (sim/world) onto the results schema
// (analysis/results) and computes the summary metrics of docs/metrics.md.
#pragma once

#include "analysis/results/schema.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world.hpp"

namespace cl::app {

// Provenance: the scenario as read, its `--set` overrides (`key=value`, in order) and the
// effective seed. pool_utilisation_<tier> takes a tier's initial capacity from the
// clouds' quotas.
analysis::RunResults to_run_results(const sim::scenario::Scenario& scenario, std::uint64_t replication,
                                    const sim::world::WorldResults& world);

}  // namespace cl::app
