// The recorder (docs/metrics.md): what the nodes report of blocks — each sealed block, its
// arrivals at the other nodes (import delay after sealing, online nodes only; late
// arrivals counted apart), reorgs — and, at the end, the network's counters and each
// node's end state for the safety checks. The workloads record their own tables.
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "protocol/node/node.hpp"
#include "sim/net/network.hpp"
#include "sim/world/config.hpp"
#include "sim/world/results.hpp"

namespace cl::sim::world {

class ReferenceChain;
class Hosts;

class Recorder {
  public:
    // Records into `results`; `config` for the fault schedule (who was online when).
    Recorder(const WorldConfig& config, std::size_t nodes, WorldResults& results)
        : config_(config), nodes_(nodes), results_(results) {}

    // A metric event of node n, released by its CPU at `finish`.
    void on_event(net::NodeId n, const node::MetricEvent& event, Time finish);

    // Whether `block` was recorded (sealed, and released, within the run).
    bool recorded(const Hash32& block) const { return block_index_.contains(block); }
    std::optional<Time> sealed_at(const Hash32& block) const;
    void mark_canonical(const Hash32& block);

    // End of run: the network's per-type counters, each node's messages, bytes and CPU, each node's end head
    // (ReferenceChain:: end_head), the safety check height and hashes, the fork-choice rules applied.
    void finish(const Hosts& hosts, const net::Network& network, const ReferenceChain& reference);

  private:
    const WorldConfig& config_;
    std::size_t nodes_;
    WorldResults& results_;
    std::unordered_map<Hash32, std::size_t> block_index_;  // into results_.blocks; lookup only
};

}  // namespace cl::sim::world
