// Faults (docs/scenarios.md "Faults"): partitions, link failures and losses, which the
// network applies, and node crashes, which the hosts apply (a crashed host drops every
// input; a restart starts it again on its stored chain). Also whether a node was online
// at a time, from the schedule, for the recorder.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include "sim/kernel/simulator.hpp"
#include "sim/net/network.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/hosts.hpp"

namespace cl::sim::world {

// Adds every fault schedule of `config` to `network` (a scratch one: World::check); the
// first the network refuses, named after its WorldConfig field ("crashes[1]: ...").
std::expected<void, std::string> check_faults(net::Network& network, const WorldConfig& config);

// Adds them to the world's network and schedules the crashes and restarts on `hosts`.
// REQUIRES: check_faults(config) succeeded on an equal network.
void install_faults(net::Network& network, Simulator& sim, Hosts& hosts, const WorldConfig& config);

// Whether node n was online at t, from the fault schedule (a crash at `at` takes the node
// down from `at`; a restart brings it back from `restart_at`). O(crashes).
bool was_online(const WorldConfig& config, net::NodeId n, Time t);

// How many of the `nodes` nodes were online at t. O(nodes · crashes).
std::uint32_t online_at(const WorldConfig& config, std::size_t nodes, Time t);

}  // namespace cl::sim::world
