// The simulated world (DESIGN.md §3): hosts that run protocol::node::Node on the simulated
// network, user and cloud workloads, faults, and the recorder of what happened.
//
// One World is one run (one seed, one replication). Every random draw comes from a stream
// named after its entity (DESIGN.md §6); keys are derived from the seed. Pure work —
// seal recovery, transaction recovery, block execution — is computed once per distinct
// input and shared by all nodes (DESIGN.md §5); what a node's CPU would spend on it is
// charged to that node's simulated clock from the configured costs, so sharing never
// changes the timeline.
//
// CPU model: a host handles each input when it arrives (its protocol state changes then)
// but the input's outputs — messages and timers — leave only when the host's single CPU
// has finished this input and every earlier one: finish = max(now, busy_until) + cost.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/state/ledger.hpp"
#include "sim/kernel/time.hpp"
#include "sim/world/config.hpp"
#include "sim/world/results.hpp"

namespace cl::sim::world {

// A WorldConfig that World::check accepted: the only way to build a World. Only
// World::check makes one, so holding one proves the configuration was validated (once).
// A plain value: copyable, movable, no shared state.
class CheckedConfig {
  public:
    const WorldConfig& config() const { return config_; }

  private:
    friend class World;
    explicit CheckedConfig(WorldConfig config) : config_(std::move(config)) {}
    WorldConfig config_;
};

class World {
  public:
    // The one gate. Checks what building the world would otherwise assert: the network
    // configuration, every fault schedule against the topology (partition groups non-empty
    // and disjoint, nodes that exist, failed or lossy links that exist, times in order),
    // at least as many nodes as clouds, and workload weights that can be drawn from. The
    // message names the value, e.g. "partition 'faults[2]'.groups[1][0]: node 3 is
    // already in groups[0]". Cost: a scratch Network, O(nodes + links + faults).
    [[nodiscard]] static std::expected<CheckedConfig, std::string> check(WorldConfig config);

    // check(), then the world: bad configuration is a value, never an abort.
    [[nodiscard]] static std::expected<World, std::string> create(WorldConfig config);

    // Builds the world of a checked configuration (no second validation).
    explicit World(CheckedConfig config);
    ~World();
    World(World&&) noexcept;
    World& operator=(World&&) noexcept;
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Runs the whole duration. Call once. `progress`, if set, is called at every sample
    // (sample_interval) with the simulated time and the events run so far; it must not
    // touch the world.
    using Progress = std::function<void(Time, std::uint64_t events)>;
    WorldResults run(const Progress& progress = {});

    // The ledger state at the head of the reference chain at the end of the run (the
    // node whose head is best, docs/metrics.md "Conventions"). REQUIRES: run() returned.
    const state::LedgerState& final_state() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cl::sim::world
