// Builds the world of one replication of a scenario (sim/scenario → sim/world): keys and
// genesis come later from the seed (World), here the topology, network, faults, ledger
// rules and workloads are resolved to concrete values.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "sim/scenario/loader.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world {

// A scenario value that cannot be simulated as written, found while resolving it against
// the built topology (what the loader cannot see): a topology file whose node count
// differs from the scenario's, a selector that matches no node, partition groups that
// are empty or overlap once full nodes are placed, a link_loss between sets that no link
// joins.
struct WorldConfigError {
    std::string key;  // dotted, as the loader names it: faults[2].groups[1][0]
    std::string message;
    scenario::SourcePos pos;  // where `key` is written (line 0: unknown)
};

// `FILE:LINE:COLUMN: KEY: MESSAGE` as the loader reports errors (FILE is `--set` for a
// value from an override, the scenario's name when it has no file).
scenario::ScenarioError to_scenario_error(const scenario::Scenario& s, const WorldConfigError& e);

std::expected<WorldConfig, WorldConfigError> world_config(const scenario::Scenario& s,
                                                          std::uint64_t replication);

// world_config() and World::check() for every replication (topologies and node
// placement differ per replication), each done once: the checked configurations in
// replication order, or the first error, "(replication r)" added to the message when there
// are several. What `cloudledger check` runs after loading, and `cloudledger run` before
// it starts (it then builds each World from its CheckedConfig, without checking again).
// Cost: every replication's topology (a topology file is read once per replication).
std::expected<std::vector<CheckedConfig>, WorldConfigError> check_world(const scenario::Scenario& s);

// One replication's world_config() and World::check(): for a runner that checks each
// replication just before running it. Errors as check_world (no replication suffix).
std::expected<CheckedConfig, WorldConfigError> checked_world_config(const scenario::Scenario& s,
                                                                    std::uint64_t replication);

}  // namespace cl::sim::world
