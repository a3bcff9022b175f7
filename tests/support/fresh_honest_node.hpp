// Checking that an adversary acts through the real protocol (shared/spec/adversaries.md
// §0): a world test records every block of a run with SealedBlocks, then offers each, in
// sealing order, to a FreshHonestNode — an honest node started from the run's genesis
// with every check on — which must store it and reject none.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "protocol/node/genesis.hpp"
#include "protocol/node/messages.hpp"
#include "protocol/node/node.hpp"
#include "sim/kernel/random.hpp"
#include "sim/world/genesis.hpp"
#include "sim/world/world.hpp"

namespace cl::sim::world::test {

// Every block sealed in the run, with its sealer node, in sealing order.
class SealedBlocks final : public Workload {
  public:
    // Adds one to `w` (before its run) and returns it.
    static SealedBlocks& add_to(World& w) {
        return static_cast<SealedBlocks&>(
            w.add_workload([](const WorldContext&) { return std::make_unique<SealedBlocks>(); }));
    }
    std::string_view name() const override { return "sealed-blocks"; }
    void start() override {}
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time) override {
        blocks.emplace_back(sealer, std::make_shared<const node::Block>(block));
    }
    void finish(std::span<const Inclusion>, WorldResults&) override {}
    std::vector<std::pair<net::NodeId, node::BlockRef>> blocks;
};

// An honest node of the run of `c`, at its end, with one peer (7) whose Status it has.
class FreshHonestNode {
  public:
    explicit FreshHonestNode(const WorldConfig& c)
        : genesis_(node::make_genesis(genesis_config(c), c.genesis_time).value()),
          rng_(RandomStreams(99, 0).stream("checker")),
          now_(std::chrono::seconds(c.genesis_time) + std::chrono::nanoseconds(c.duration.nanos())) {
        node::NodeConfig nc;
        nc.clique = c.clique;
        nc.txpool.chain_id = kChainId;
        nc.peers = {kPeer};
        node_ = std::make_unique<node::Node>(nc, genesis_.block, genesis_.state, cache_, rng_);
        (void)node_->start(now_);
        (void)node_->on_message(now_, kPeer,
                                node::StatusMsg{kChainId, genesis_.block->header.difficulty,
                                                genesis_.block->hash, genesis_.block->hash});
    }

    // The peer sends `block`: a failure is added when the node rejects it or does not store it.
    void offer(const node::BlockRef& block) {
        const node::Effects e = node_->on_message(now_, kPeer, node::NewBlockMsg{block, 0});
        for (const node::MetricEvent& ev : e.events) {
            if (const auto* rejected = std::get_if<node::BlockRejected>(&ev))
                ADD_FAILURE() << "block " << block->header.number << " rejected: " << rejected->reason;
        }
        EXPECT_NE(node_->block(block->hash), nullptr) << "block " << block->header.number << " stored";
    }

    const node::Node& node() const { return *node_; }

  private:
    static constexpr node::PeerId kPeer = 7;
    node::Genesis genesis_;
    node::ExecutionCache cache_;
    RandomStream rng_;
    node::Nanos now_;
    std::unique_ptr<node::Node> node_;
};

}  // namespace cl::sim::world::test
