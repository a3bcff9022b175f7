// Builds the world of one replication of a scenario (sim/scenario → sim/world): keys and
// genesis come later from the seed (World), here the topology, network, faults, ledger
// rules and workloads are resolved to concrete values.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "sim/scenario/scenario.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world {

// Fails (with a message naming the scenario key) on what the loader cannot check without
// building: a topology file whose node count differs from the scenario's, a selector that
// matches no node, or a feature this version does not simulate yet.
std::expected<WorldConfig, std::string> world_config(const scenario::Scenario& s, std::uint64_t replication);

}  // namespace cl::sim::world
