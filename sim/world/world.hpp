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
// Where the parts live (this file and world.cpp only wire them):
//   host/host.hpp          the Host interface; host/honest_node.hpp today's node host;
//                          host/hosts.hpp the CPU model and effect release, for all hosts
//   workload/workload.hpp  the Workload interface; workload/users.hpp, workload/clouds.hpp;
//                          workload/confirmations.hpp the users' and clouds' k-confirmation rule
//   recorder.hpp           blocks, arrivals, reorgs, end state
//   reference_chain.hpp    the reference chain (docs/metrics.md "Conventions")
//   sampling.hpp           periodic samples and progress
//   faults.hpp             partitions, link faults, crashes
//   genesis.hpp            chain id, keys, genesis, signing
// An adversary is a new Host (World's HostFactory) and/or a new Workload (add_workload).
//
// Thread-safety: a World is used by one thread; distinct Worlds share nothing mutable and
// may run on different threads at once.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/node/genesis.hpp"
#include "protocol/state/ledger.hpp"
#include "sim/kernel/time.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/host.hpp"
#include "sim/world/results.hpp"
#include "sim/world/workload/workload.hpp"

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

// What a HostFactory gets to build node `node`'s host: the honest node's configuration
// (its validator key set for a cloud's validator), the genesis, the shared execution
// cache (outlives the host) and the node's stream "node/<index>".
struct HostSetup {
    net::NodeId node = 0;
    node::NodeConfig config;
    const node::Genesis& genesis;
    node::ExecutionCache& cache;
    RandomStream rng;
};
// Returns node `setup.node`'s host, or nullptr for the honest one (HonestNode).
using HostFactory = std::function<std::unique_ptr<Host>(HostSetup& setup)>;

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
    [[nodiscard]] static std::expected<World, std::string> create(WorldConfig config,
                                                                  HostFactory make_host = {});

    // Builds the world of a checked configuration (no second validation): every node's
    // host (make_host's, else HonestNode), the network, the faults, and the users and
    // clouds workloads.
    explicit World(CheckedConfig config, const HostFactory& make_host = {});
    ~World();
    World(World&&) noexcept;
    World& operator=(World&&) noexcept;
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    // Adds a workload, built now from the world's context; it starts after the users and
    // clouds, and sees outcomes after them. Returns it (owned by the world).
    // REQUIRES: run() not called yet.
    using WorkloadFactory = std::function<std::unique_ptr<Workload>(const WorldContext&)>;
    Workload& add_workload(const WorkloadFactory& make);

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
