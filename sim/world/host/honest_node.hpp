// The honest host: protocol::node::Node as written, with its own random stream
// ("node/<index>", DESIGN.md §6). Every node of today's worlds is one.
#pragma once

#include <memory>

#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "sim/kernel/random.hpp"
#include "sim/world/host/host.hpp"

namespace cl::sim::world {

class HonestNode final : public Host {
  public:
    // `cache` is the world's shared execution cache (DESIGN.md §5); it must outlive the host.
    HonestNode(node::NodeConfig config, const node::Genesis& genesis, node::ExecutionCache& cache,
               RandomStream rng);

    node::Effects start(node::Nanos now) override { return node_->start(now); }
    node::Effects on_message(node::Nanos now, net::NodeId from, const node::Message& message,
                             std::uint32_t peer_index) override {
        return node_->on_message(now, from, message, peer_index);
    }
    node::Effects on_timer(node::Nanos now, std::uint64_t token) override {
        return node_->on_timer(now, token);
    }
    node::Effects on_local_tx(node::Nanos now, const node::TxRef& tx) override {
        return node_->on_local_tx(now, tx);
    }
    node::Effects on_final_checkpoint(node::Nanos now, const checkpoint::FinalCheckpoint& final) override {
        return node_->set_final_checkpoint(now, final);
    }
    // Its operator's commands (Host::on_command): kStopSealing stops sealing for good
    // (geth miner.stop; a cloud leaving the validator set, sim/world/governance.hpp).
    static constexpr std::uint64_t kStopSealing = 0x73746f70;  // "stop": apart from adversary hosts' commands
    node::Effects on_command(node::Nanos now, std::uint64_t command) override {
        return command == kStopSealing ? node_->set_sealing(now, false) : node::Effects{};
    }
    const node::Node& node() const override { return *node_; }
    CacheHints cache_hints() const override {
        const node::Node::CacheHints n = node_->cache_hints();
        return CacheHints{this, n.state, n.peers, n.peer_stride, n.peer_count};
    }

  private:
    std::unique_ptr<RandomStream> rng_;  // the node keeps a reference: a stable address
    std::unique_ptr<node::Node> node_;
};

}  // namespace cl::sim::world
