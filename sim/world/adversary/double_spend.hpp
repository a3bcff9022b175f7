// The double spend the consensus attacks attempt (shared/spec/adversaries.md §2.1 clone,
// §2.2 private fork): the attacker's identity A requests a real code and holds it once k
// blocks are on top at its own node; when the attack starts, cloud X (shown the held code)
// redeems it — TX1 — and A transfers it to its second identity B — TX2a —; once cloud Y's
// node shows B as the owner, Y redeems it — TX2b. Whether the branch holding TX1 or the one
// holding TX2 wins is the attack's business; this part only makes, watches and records the
// transactions, so both attacks count them the same way.
//
// Driven by the attack's Workload, which forwards its reactions in this order: on_block_sealed,
// on_head_changed (settle_code first, then its own trigger, then settle_redeems), on_tx_refused.
// Randomness: the tier of the request, drawn from the attack's stream `adversary/<name>`.
// Thread-safety: none.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "protocol/core/secp256k1.hpp"
#include "sim/kernel/random.hpp"
#include "sim/world/workload/confirmations.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

// The attacker's user number in the redemptions table (RedemptionRecord::user): the two
// redeems the attack makes clouds do are tagged with it (spec §0: adversarial traffic is
// tagged).
inline constexpr std::uint64_t kAdversaryUser = ~std::uint64_t{0};

// The redemptions-table row of a redeem an attack made cloud `cloud` submit at `submitted`
// (user kAdversaryUser, requested = first query = submitted): its allocation at the cloud
// and its inclusion and outcome on the reference chain (kNotIncluded when absent).
RedemptionRecord adversary_redemption(const Hash32& code, const node::TxRef& tx, std::size_t cloud,
                                      std::optional<Time> submitted, std::optional<Time> allocated,
                                      std::span<const Inclusion> reference_chain);

class DoubleSpend {
  public:
    // `own`: the node A sends its request and TX2a to; `tx1_cloud` (X) and `tx2_cloud` (Y):
    // cloud indices. Identities A and B are `adversary/<name>/identity/0` and `/1`.
    DoubleSpend(const WorldContext& context, const std::string& name, net::NodeId own, std::size_t tx1_cloud,
                std::size_t tx2_cloud);

    // At start: A's request (a tier drawn uniformly) at `own`.
    void request();
    // The attack starts: TX1 at X's node, TX2a at `own` (each if that node is up).
    // REQUIRES: code_held().
    void launch();

    void on_block_sealed(const node::Block& block);
    // Node n's head changed: whether A now holds its code (on `own`).
    void settle_code(net::NodeId n);
    // Node n's head changed: X's and Y's allocations (TX1, TX2b with k on top there); on Y's
    // node, once it shows B as the owner, TX2b is made and submitted (next event).
    void settle_redeems(net::NodeId n, Time at);
    void on_tx_refused(const Hash32& tx);

    // The outcome on the reference chain at the end of the run.
    struct Final {
        bool tx1_on_chain = false;   // a block of the final chain holds TX1
        bool tx1_effective = false;  // ... with a successful receipt
        bool tx2_effective = false;  // TX2b, with a successful receipt
    };
    // Appends the two redeems to `results.redemptions` (user kAdversaryUser) and counts them
    // as `party`'s traffic (parties.hpp).
    Final finish(std::span<const Inclusion> reference_chain, std::uint16_t party,
                 WorldResults& results) const;

    bool code_held() const { return code_held_; }
    const Hash32& code() const { return code_; }
    const node::TxRef& tx1() const { return tx1_; }
    const std::optional<Time>& tx1_allocated() const { return tx1_allocated_; }

  private:
    void submit_tx2_redeem();

    WorldContext ctx_;
    RandomStream rng_;
    net::NodeId own_;
    std::size_t tx1_cloud_, tx2_cloud_;
    PrivateKey identity_a_, identity_b_;
    TxWatcher code_watch_;    // the request, on `own`
    TxWatcher redeem_watch_;  // TX1 on X's node, TX2b on Y's: each allocates at k
    Hash32 code_;
    bool code_held_ = false, code_refused_ = false;
    node::TxRef tx1_, tx2_transfer_, tx2_redeem_;
    std::optional<Time> launched_, tx1_allocated_, tx2_allocated_, tx2_submitted_;
};

}  // namespace cl::sim::world
