// The `equivocation` attack (shared/spec/adversaries.md §2.3): a validator seals two
// different blocks for one slot on the same parent and sends each to a different half of
// its peers. Clique accepts both (there is no slashing); the network forks until the fork
// choice settles it.
//
// Parts:
//   plan_equivocation    — checks the validator;
//   EquivocatorHost      — the validator's node::Node with its real key; from `from`, for
//                          each block its node seals, with `probability` (drawn from the
//                          stream `adversary/<name>`, one draw per own block), it seals a
//                          twin: the same header on the same parent with another
//                          transaction set (the block's transactions but the last; an empty
//                          block's twin differs in its vanity bytes), executed on the parent
//                          state for its roots and sealed with the real key. Peers are split
//                          by their position in the node's peer list: even positions get the
//                          node's own block, odd ones the twin (in full). Its own node keeps
//                          the original; the twin is a BlockSealed event of its own;
//   EquivocationWorkload — counts the pairs (two blocks one sealer sealed on one parent)
//                          and what followed: reorgs, convergence, which block won.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "sim/kernel/random.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/host.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

struct EquivocationPlan {
    net::NodeId node = 0;  // the validator's node (= its cloud index)
};
std::expected<EquivocationPlan, std::string> plan_equivocation(const WorldConfig& config,
                                                               const std::string& name,
                                                               const EquivocationAttack& attack);

Hash32 equivocation_parameters_digest(const WorldConfig& config, const std::string& name,
                                      const EquivocationAttack& attack);

class EquivocatorHost final : public Host {
  public:
    // `config` is the validator's honest configuration (its real key); `coin` the stream
    // `adversary/<name>`; `from` the attack's start on the node's clock (Unix epoch ns).
    // `cache` outlives the host.
    EquivocatorHost(node::NodeConfig config, const node::Genesis& genesis, node::ExecutionCache& cache,
                    RandomStream rng, RandomStream coin, double probability, node::Nanos from);

    node::Effects start(node::Nanos now) override { return equivocate(now, node_->start(now)); }
    node::Effects on_message(node::Nanos now, net::NodeId from, const node::Message& message,
                             std::uint32_t peer_index) override {
        return equivocate(now, node_->on_message(now, from, message, peer_index));
    }
    node::Effects on_timer(node::Nanos now, std::uint64_t token) override {
        return equivocate(now, node_->on_timer(now, token));
    }
    node::Effects on_local_tx(node::Nanos now, const node::TxRef& tx) override {
        return equivocate(now, node_->on_local_tx(now, tx));
    }
    const node::Node& node() const override { return *node_; }

  private:
    node::Effects equivocate(node::Nanos now, node::Effects effects);
    // The twin of `block` (sealed by this node, stored in it), or nullptr when none can be
    // made (its parent state is gone).
    node::BlockRef twin_of(const node::Block& block) const;

    std::unique_ptr<RandomStream> rng_;  // the node keeps a reference: a stable address
    std::unique_ptr<node::Node> node_;
    RandomStream coin_;
    double probability_;
    PrivateKey key_;
    std::vector<node::PeerId> peers_;
    node::Nanos from_;
};

class EquivocationWorkload final : public Workload {
  public:
    EquivocationWorkload(const WorldContext& context, std::string name, EquivocationAttack attack,
                         EquivocationPlan plan);

    std::string_view name() const override { return name_; }
    void start() override {}
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void on_head_changed(net::NodeId node, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    WorldContext ctx_;
    std::string name_;
    EquivocationAttack attack_;
    EquivocationPlan plan_;
    std::map<Hash32, std::vector<Hash32>>
        by_parent_;                                 // the validator's blocks by parent (ordered: lookup only)
    std::vector<std::pair<Hash32, Hash32>> pairs_;  // (first, second) sealed on one parent
    std::optional<Time> first_, last_;
    std::optional<Time> pending_since_;  // an equivocation the network has not converged from yet
    std::vector<double> convergence_s_;
};

}  // namespace cl::sim::world
