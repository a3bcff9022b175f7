// One run entry point: one replication of a scenario, from its checked world
// configuration to its results (analysis::RunResults, wall clock included). `cloudledger
// run` runs the replications one after the other through it; a sweep runner can run
// several at once on several threads.
//
// Thread-safety: each call builds and owns its World (its simulator, network, nodes,
// execution cache and random streams); worlds share no mutable state, so calls may run
// concurrently. What may be shared between concurrent calls: the `const Scenario&`
// (read only) and nothing else; each call takes its own CheckedConfig (a value). The
// progress callback runs on the calling thread; it must not touch the world.
// Not filled here: wall_clock.peak_rss_bytes (a process-wide figure: the caller's).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>

#include "analysis/results/schema.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/from_scenario.hpp"
#include "sim/world/world.hpp"

namespace cl::app {

// Called at every sample (outputs.sample_interval) with the simulated time, the events
// run so far and the wall-clock seconds since the replication started.
using ReplicationProgress = std::function<void(sim::Time now, std::uint64_t events, double wall_s)>;

// REQUIRES: `config` came from sim::world::check_world(scenario) (or
// checked_world_config(scenario, r)) of this scenario. Runs the world for the scenario's
// duration and maps its records (to_run_results), wall-clock figures included.
// `keep_world`: when given, the world that ran is moved into it instead of being
// destroyed here, so that the caller decides when (and whether) to pay for its
// teardown — a large world takes a noticeable time to free (issue 16). Without it the
// world is destroyed before this returns.
analysis::RunResults run_replication(const sim::scenario::Scenario& scenario,
                                     sim::world::CheckedConfig config,
                                     const ReplicationProgress& progress = {},
                                     std::unique_ptr<sim::world::World>* keep_world = nullptr);

// Checks replication `replication` (sim::world::checked_world_config), then runs it as
// above: for a runner that checks each replication just before running it.
std::expected<analysis::RunResults, sim::world::WorldConfigError> run_replication(
    const sim::scenario::Scenario& scenario, std::uint64_t replication,
    const ReplicationProgress& progress = {});

}  // namespace cl::app
