// The `eclipse` attack (shared/spec/adversaries.md §2.5): the adversary takes every peer
// link of chosen victim nodes (for example the node a cloud trusts) during a window
// [from, to) and relays to them only what it chooses (spec §0: links the adversary
// controls drop or delay messages in a window it chooses):
//   drop   — nothing: every link of a victim is down both ways (net::Network::add_link_failure);
//   delay  — everything, D later: every message sent on a victim's link either way in the
//            window arrives D later (net::Network::add_link_delay);
//   branch — the chain of a private_fork adversary (adversary/private_fork.hpp): on a
//            victim's links to nodes other than that fork's colluders no block, block
//            announcement or transaction passes either way (net::Network::add_link_filter),
//            while the colluders publish their withheld branch to the victims as they seal
//            it and take the victims' transactions (PrivateForkPlan::audience). The victims
//            verify every block with every rule: they are honest nodes.
// In branch mode, when a victim is a cloud's node and another cloud is neither a victim nor
// a colluder, the adversary also double-spends: identity E requests a code at time 0 (at
// the reference node); once it is held there, the fork withholds and the victim cloud's node
// shows the code, the victim cloud redeems it (TX_v, at its node: it reaches only the
// colluders, so it goes on the private branch) and the honest cloud redeems it too (TX_h,
// at its node: the public chain). Both are `redemptions` rows with the adversary's user tag.
//
// What it measures (docs/attacks.md "Eclipse", docs/metrics.md): against the reference node
// (the first node that is neither a victim nor run by an adversary: a private fork's
// colluder, an equivocator, a cloned validator or its clone node, a censor), at every head
// change of a victim or of it — the time any victim's head was off the reference head's
// chain (divergence), the largest head lag in blocks and header seconds, the victims' head
// growth in the window, when the victims hold the reference head again after it
// (reconvergence), the delay from seal to a victim's head of the blocks others sealed in the
// window, and the victim clouds' allocations that the final chain does not back.
// Randomness: none drawn (the stream `adversary/<name>` is reserved). Thread-safety: none.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/core/secp256k1.hpp"
#include "sim/world/config.hpp"
#include "sim/world/workload/confirmations.hpp"
#include "sim/world/workload/workload.hpp"

namespace cl::sim::world {

struct EclipsePlan {
    std::vector<bool> victim;                   // per node
    std::vector<bool> colluder;                 // per node: the branch's colluders (branch mode)
    net::NodeId reference = 0;                  // honest: no victim, no adversary's validator
    std::optional<std::size_t> victim_cloud;    // branch mode: the first victim that is a cloud's node
    std::optional<std::size_t> honest_cloud;    // branch mode: the first cloud neither victim nor colluder
    std::optional<net::NodeId> first_colluder;  // branch mode
};

// REQUIRES: config's topology and clouds as World::check accepts them. An error names the
// adversary's field ("adversaries[<name>].victims: ...").
std::expected<EclipsePlan, std::string> plan_eclipse(const WorldConfig& config, const std::string& name,
                                                     const EclipseAttack& attack);

Hash32 eclipse_parameters_digest(const WorldConfig& config, const std::string& name,
                                 const EclipseAttack& attack);

// The message types (node::MessageKind) that carry chain content: what a branch-mode link
// filter drops.
std::uint64_t eclipse_content_types();

class EclipseWorkload final : public Workload {
  public:
    EclipseWorkload(const WorldContext& context, std::string name, EclipseAttack attack, EclipsePlan plan);

    std::string_view name() const override { return name_; }
    // Opens the link windows (they are schedules: nothing happens before `from`).
    void start() override;
    void on_block_sealed(net::NodeId sealer, const node::Block& block, Time at) override;
    void on_head_changed(net::NodeId node, Time at) override;
    void on_tx_refused(net::NodeId node, const Hash32& tx, txpool::Refusal reason, Time at) override;
    void finish(std::span<const Inclusion> reference_chain, WorldResults& results) override;

  private:
    void observe(Time at);  // the victims' heads against the reference node's
    void window_start();
    void window_end();
    void begin_double_spend();
    bool in_window(Time t) const { return t >= attack_.from && t < attack_.to; }

    WorldContext ctx_;
    std::string name_;
    EclipseAttack attack_;
    EclipsePlan plan_;
    std::vector<net::NodeId> victims_;
    // The view figures.
    std::optional<Time> diverged_since_;
    Duration divergence_ = Duration::zero();
    std::uint64_t max_lag_blocks_ = 0, max_lag_seconds_ = 0;
    std::vector<std::uint64_t> head_at_start_;  // per victim
    std::uint64_t reference_at_start_ = 0;
    std::optional<std::uint64_t> victim_growth_, reference_growth_;
    std::optional<Time> window_started_, window_ended_, reconverged_;
    // Seal times of blocks others sealed in the window; the delay to each victim's head.
    struct Sealed {
        Time at;
        std::vector<bool> seen;  // per victim: was its head already
    };
    std::unordered_map<Hash32, Sealed> sealed_in_window_;  // lookup only
    std::uint64_t delayed_blocks_ = 0;
    Duration delay_sum_ = Duration::zero();
    std::optional<Duration> delay_min_, delay_max_;
    // Branch mode's double spend.
    PrivateKey identity_;
    TxWatcher code_watch_;
    TxWatcher redeem_watch_;
    Hash32 code_;
    bool code_requested_ = false, code_held_ = false, begin_scheduled_ = false;
    std::optional<Time> spend_started_;
    node::TxRef tx_victim_, tx_honest_;
    std::optional<Time> victim_allocated_, honest_allocated_;
};

}  // namespace cl::sim::world
