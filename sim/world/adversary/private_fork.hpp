// The `private_fork` attack (shared/spec/adversaries.md §2.2): colluding validators
// withhold the blocks they seal from a time t, extending a private branch (in their own
// turns and out of turn, within the Recents rule — the real Clique rules of their own
// nodes decide what they may seal), while still receiving the public chain; a colluding
// user redeems a code publicly at cloud A and, on the private branch, transfers it and
// has it redeemed at colluding cloud B. Released, a heavier private branch rewrites the
// public chain and erases cloud A's redemption.
//
// Parts:
//   plan_private_fork  — the colluders' nodes, cloud A (the first honest cloud) and cloud
//                        B (the first colluding cloud); checks that the colluders can
//                        reach each other over their own links;
//   PrivateForkHost    — a colluding validator: a node::Node with its real key, whose
//                        operator, while withholding, neither sends blocks or transactions
//                        to honest peers nor takes blocks or transactions from them (its
//                        private branch holds only what the colluders choose), and on
//                        release announces its head to its honest peers, who fetch the
//                        branch and verify every block with every rule;
//   PrivateForkWorkload — the attacker's identities and transactions, the start, the
//                        release policy and what happened (one AttackRecord).
// Randomness: the stream `adversary/<name>` (DESIGN.md §6).
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/node/genesis.hpp"
#include "protocol/node/node.hpp"
#include "sim/kernel/random.hpp"
#include "sim/world/adversary/double_spend.hpp"
#include "sim/world/config.hpp"
#include "sim/world/host/host.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

struct PrivateForkPlan {
    std::vector<bool> colluder;            // per node: a colluding validator's node
    std::vector<net::NodeId> colluders;    // their nodes (= cloud indices), ascending
    std::size_t public_cloud = 0;          // cloud A: the first cloud not colluding
    std::size_t private_cloud = 0;         // cloud B: the first colluding cloud
    std::vector<net::NodeId> watch_peers;  // honest nodes peering with a colluder: the public head they see
    // Per node: a victim of an `eclipse` adversary in branch mode naming this fork
    // (adversary/eclipse.hpp): the colluders publish their withheld branch to it and take its
    // transactions; it is no public-head watcher.
    std::vector<bool> audience;
};
// REQUIRES: config's topology and clouds as World::check accepts them. An error names the
// adversary's field ("adversaries[<name>].validators: ...").
std::expected<PrivateForkPlan, std::string> plan_private_fork(const WorldConfig& config,
                                                              const std::string& name,
                                                              const PrivateForkAttack& attack);

Hash32 private_fork_parameters_digest(const WorldConfig& config, const std::string& name,
                                      const PrivateForkAttack& attack);

// Commands of a colluder's operator (Host::on_command).
inline constexpr std::uint64_t kForkWithhold = 1;
inline constexpr std::uint64_t kForkRelease = 2;

class PrivateForkHost final : public Host {
  public:
    // `config` is the validator's honest configuration (its real key); `colluder` marks the
    // colluders' nodes, `audience` the eclipsed nodes fed the branch (PrivateForkPlan::audience;
    // empty: none). `cache` outlives the host.
    PrivateForkHost(node::NodeConfig config, const node::Genesis& genesis, node::ExecutionCache& cache,
                    RandomStream rng, std::vector<bool> colluder, std::vector<bool> audience = {});

    node::Effects start(node::Nanos now) override { return filter(node_->start(now)); }
    node::Effects on_message(node::Nanos now, net::NodeId from, const node::Message& message,
                             std::uint32_t peer_index) override;
    node::Effects on_timer(node::Nanos now, std::uint64_t token) override {
        return filter(node_->on_timer(now, token));
    }
    node::Effects on_local_tx(node::Nanos now, const node::TxRef& tx) override {
        return filter(node_->on_local_tx(now, tx));
    }
    // kForkWithhold: from now on withhold. kForkRelease: announce the head (NewBlock with its
    // total difficulty, as eth does) to every honest peer, and stop withholding.
    node::Effects on_command(node::Nanos now, std::uint64_t command) override;
    const node::Node& node() const override { return *node_; }
    // While withholding it publishes nothing of its branch: no checkpoint vote either (a vote
    // names a withheld block), and it submits no checkpoint of the public chain.
    bool withholding() const override { return withholding_; }

  private:
    // While withholding: drops the blocks and transactions it would send to honest peers
    // (the audience's excepted).
    bool audience(net::NodeId n) const { return n < audience_.size() && audience_[n]; }
    node::Effects filter(node::Effects effects) const;

    std::unique_ptr<RandomStream> rng_;  // the node keeps a reference: a stable address
    std::unique_ptr<node::Node> node_;
    std::vector<bool> colluder_;
    std::vector<bool> audience_;  // per node, or empty
    std::vector<node::PeerId> peers_;
    bool withholding_ = false;
};

// The attack's actor. Timeline:
//   0         identity A requests a code at the first colluder's node; it holds it once k
//             blocks are on top there (k = the clouds' confirmations);
//   ≥ from    with the code held: every colluder withholds (the private branch starts at
//             their heads); TX1 (cloud A redeems the code) enters at cloud A's node, TX2a
//             (A transfers the code to its identity B) at the first colluder's node; once
//             cloud B's node shows B as the owner, TX2b (cloud B redeems it) enters there;
//   release   when_heavier: the first head change at which cloud A has allocated (TX1 with
//             k on top on its node) and the colluders' heaviest head outweighs the
//             heaviest head of the honest nodes peering with them; at: T; never.
class PrivateForkWorkload final : public Workload {
  public:
    PrivateForkWorkload(const WorldContext& context, std::string name, PrivateForkAttack attack,
                        PrivateForkPlan plan);

    std::string_view name() const override { return name_; }
    void start() override;
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void on_head_changed(net::NodeId node, Time at) override;
    void on_tx_refused(net::NodeId node, const Hash32& tx, txpool::Refusal reason, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    void begin();
    void release();
    std::uint64_t heaviest(const std::vector<net::NodeId>& nodes) const;

    WorldContext ctx_;
    std::string name_;
    PrivateForkAttack attack_;
    PrivateForkPlan plan_;
    // A's code (requested at the first colluder's node), TX1 at cloud A, TX2 at cloud B.
    DoubleSpend spend_;
    std::optional<Time> started_, released_;
    bool begin_scheduled_ = false, release_scheduled_ = false;
    std::uint64_t private_blocks_ = 0, private_difficulty_ = 0;
    std::uint64_t public_blocks_ = 0, public_difficulty_ = 0;
    std::optional<std::pair<Hash32, std::uint64_t>> first_private_block_;
    std::uint64_t fork_number_ = 0;  // the colluders' head number when they began withholding
};

}  // namespace cl::sim::world
