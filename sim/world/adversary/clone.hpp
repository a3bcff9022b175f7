// The `clone` attack (shared/spec/adversaries.md §2.1; Ekparinya, Gramoli, Jourjon, "The
// Attack of the Clones against Proof-of-Authority", NDSS 2020): one validator key run on
// two nodes, an adversary-made partition between a victim side and an attacker side, and
// a double spend of one promo code across it.
//
// Parts:
//   plan_clone   — the sides, from the real signer order (the seed's keys) and the topology;
//   CloneHost    — the second instance: a node::Node holding the cloned validator's real
//                  key that does not seal until its operator (the attack) says so;
//   CloneAttack  — the workload: the attacker's identities and transactions, the trigger,
//                  the cut, the heal, and what happened (one AttackRecord).
// Everything goes through the real protocol: both instances seal real headers with the
// real key; honest nodes verify them with every rule; the transactions are real signed
// transactions. Randomness: the stream `adversary/<name>` (DESIGN.md §6).
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

// Which side each node is on. Validators: the cloned validator's own node and the
// attacker clouds on the attacker side, the victim clouds and the clone node on the victim
// side; `next_in_turn: m` takes as attacker clouds the sealers of the m − 1 in-turn slots
// after the cloned validator's own (sorted signer order), the other clouds as victims.
// Every other node (full nodes, and validators an explicit split does not list) goes with
// the side of most of its already placed peers, in passes over the nodes in index order
// until none moves (a tie, or no placed peer at the end: the victim side). The clone node,
// unless given: the full node with the most victim validators among its peers (the lowest
// index among equals).
struct ClonePlan {
    std::size_t validator = 0;        // cloud index (= its node)
    net::NodeId clone_node = 0;       // the second instance
    std::vector<bool> attacker_side;  // per node
    std::size_t victim_cloud = 0;     // where TX1 is redeemed: the first victim cloud
    std::size_t attacker_cloud = 0;   // where TX2 is redeemed: the first attacker cloud, else the validator
    std::vector<net::NodeId> attacker_nodes, victim_nodes;  // the partition's two groups
};
// REQUIRES: config's topology and clouds as World::check accepts them. An error names
// the adversary's field ("adversaries[<name>].clone_node: ...").
std::expected<ClonePlan, std::string> plan_clone(const WorldConfig& config, const std::string& name,
                                                 const CloneAttack& attack);

// The attacks table's parameters digest of a clone (adversaries.hpp parameters_digest).
Hash32 clone_parameters_digest(const WorldConfig& config, const std::string& name, const CloneAttack& attack);

// Commands of the clone's operator (Host::on_command).
inline constexpr std::uint64_t kCloneStartSealing = 1;
inline constexpr std::uint64_t kCloneStopSealing = 2;

class CloneHost final : public Host {
  public:
    // `config` is the clone node's honest configuration; the host adds the cloned key and
    // starts with sealing off. `cache` outlives the host.
    CloneHost(node::NodeConfig config, const PrivateKey& key, const node::Genesis& genesis,
              node::ExecutionCache& cache, RandomStream rng);

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
    node::Effects on_command(node::Nanos now, std::uint64_t command) override;
    const node::Node& node() const override { return *node_; }

  private:
    std::unique_ptr<RandomStream> rng_;  // the node keeps a reference: a stable address
    std::unique_ptr<node::Node> node_;
};

// The attack's actor. Timeline:
//   0       identity A requests a code (tier drawn uniformly from the stream) at the
//           cloned validator's node; it holds it once k blocks are on top there (k = the
//           clouds' confirmations);
//   ≥ from  with the code held, when the cloned validator's node has as head the block
//           just before its own in-turn slot: the cut (a partition attacker | victim for
//           `duration`), the clone starts sealing, TX1 (the victim cloud redeems the
//           code) enters at the victim cloud's node, TX2a (A transfers the code to its
//           identity B) at the cloned validator's node; once the attacker cloud's node
//           shows B as the owner, TX2b (the attacker cloud redeems it) enters there;
//   cut end the clone stops sealing; the partition ends.
class CloneAttackWorkload final : public Workload {
  public:
    CloneAttackWorkload(const WorldContext& context, std::string name, CloneAttack attack, ClonePlan plan);

    std::string_view name() const override { return name_; }
    void start() override;
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void on_head_changed(net::NodeId node, Time at) override;
    void on_tx_refused(net::NodeId node, const Hash32& tx, txpool::Refusal reason, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    void cut();
    void heal();
    bool tx1_decided_at_victim() const;
    bool on_canonical_chain(net::NodeId n, const Hash32& block, std::uint64_t number) const;

    WorldContext ctx_;
    std::string name_;
    CloneAttack attack_;
    ClonePlan plan_;
    // A's code (requested at the cloned validator's node), TX1 at the victim cloud, TX2 at
    // the attacker cloud.
    DoubleSpend spend_;
    std::size_t signer_count_ = 0;
    std::size_t own_slot_ = 0;  // the cloned validator's position in the sorted signer list
    std::optional<Time> cut_at_, heal_at_;
    bool cut_scheduled_ = false;
    std::vector<std::pair<Hash32, std::uint64_t>> tx1_blocks_;  // blocks holding TX1 (hash, number)
    std::optional<Time> tx1_decided_;
    std::uint64_t blocks_attacker_ = 0, blocks_victim_ = 0;
    std::uint64_t difficulty_attacker_ = 0, difficulty_victim_ = 0;
    std::optional<std::pair<Hash32, std::uint64_t>> first_attacker_block_;   // sealed in the cut
    std::optional<std::pair<Hash32, std::uint64_t>> attacker_head_at_heal_;  // the cloned validator's node's
    std::optional<Time> reconverged_;
};

}  // namespace cl::sim::world
